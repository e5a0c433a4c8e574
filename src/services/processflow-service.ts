import { createHash } from 'node:crypto';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import { type Actor, systemActor } from '../domain/access';
import { canonicalJson } from '../domain/canonical-json';
import { InputError, NotFoundError } from '../domain/errors';
import type { ProcessflowDefinition } from '../domain/processflow-definition';
import { compileSteps, previewFlow, StepCompileError } from '../pipeline/transform-steps';
import type { ProcessflowStore } from '../stores/processflow-store';
import type { AuditService } from './audit-service';

export class ProcessflowService {
  constructor(
    private readonly processflows: ProcessflowStore,
    private readonly connectors: ConnectorRegistry,
    private readonly audit: AuditService,
  ) {}

  /** Saves a definition; a changed one becomes a new version, an unchanged one is a no-op. */
  async save(definition: ProcessflowDefinition, actor: Actor = systemActor('system')) {
    this.validate(definition);
    const hash = createHash('sha256').update(canonicalJson(definition)).digest('hex');
    const saved = await this.processflows.save(definition, hash);
    if (saved.created) {
      await this.audit.record(actor, {
        action: 'processflow.save',
        environment: null,
        target: `${definition.name}/${saved.version.version}`,
        details: { hash },
      });
    }
    return saved;
  }

  async list() {
    return this.processflows.list();
  }

  async get(name: string) {
    const versions = await this.processflows.listVersions(name);
    if (versions.length === 0) throw new NotFoundError(`processflow "${name}" does not exist`);
    return versions;
  }

  async getVersion(name: string, version: number) {
    const found = await this.processflows.getVersion(name, version);
    if (!found) throw new NotFoundError(`processflow "${name}" has no version ${version}`);
    return found;
  }

  /** Runs a sample record through a definition's nodes without reading or writing anywhere. */
  async preview(definition: ProcessflowDefinition, record: Record<string, unknown>) {
    this.validate(definition);
    return previewFlow(definition, compileSteps(definition.steps), record);
  }

  /** Checks what the schema cannot: connectors exist, their configs fit, expressions compile. */
  private validate(definition: ProcessflowDefinition) {
    const issues: { path: string; message: string }[] = [];
    const source = this.connectors.source(definition.source.connector);
    const destination = this.connectors.destination(definition.destination.connector);
    if (!source) {
      const known = this.connectors.sourceTypes().join(', ');
      issues.push({
        path: 'source.connector',
        message: `unknown source connector; known: ${known}`,
      });
    } else {
      issues.push(...configIssues(source.configSchema, definition.source.config, 'source.config'));
    }
    if (!destination) {
      const known = this.connectors.destinationTypes().join(', ');
      issues.push({
        path: 'destination.connector',
        message: `unknown destination connector; known: ${known}`,
      });
    } else {
      issues.push(
        ...configIssues(
          destination.configSchema,
          definition.destination.config,
          'destination.config',
        ),
      );
    }
    try {
      compileSteps(definition.steps);
    } catch (error) {
      if (!(error instanceof StepCompileError)) throw error;
      issues.push({ path: `steps.${error.stepIndex}.expression`, message: error.message });
    }
    if (issues.length > 0) throw new InputError('processflow definition is not valid', issues);
  }
}

function configIssues(
  schema: {
    safeParse(value: unknown): {
      success: boolean;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };
  },
  config: unknown,
  prefix: string,
) {
  const parsed = schema.safeParse(config);
  if (parsed.success) return [];
  return parsed.error!.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}
