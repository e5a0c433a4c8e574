-- The destination of the airports processflow. Its constraints are the business rules a real
-- consumer of this table would have; records that break them fail with the database's message.
create table if not exists airports (
  airport_id integer primary key,
  name text not null,
  city text not null,
  country text not null,
  iata char(3) unique check (iata ~ '^[A-Z0-9]{3}$'),
  icao char(4) not null unique check (icao ~ '^[A-Z]{4}$'),
  latitude double precision not null check (latitude between -90 and 90),
  longitude double precision not null check (longitude between -180 and 180),
  altitude_ft integer,
  timezone text not null,
  synced_at timestamptz not null default now()
);
