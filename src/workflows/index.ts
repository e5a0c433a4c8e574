export { processflowExecution } from './processflow-execution';
