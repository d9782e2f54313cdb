import type {
  Agent,
  Approval,
  Company,
  Goal,
  Issue,
  IssueAttachment,
  IssueComment,
  IssueDocument,
  IssueThreadInteraction,
  PluginAccessMember,
  PluginExecutionWorkspaceMetadata,
  PluginWorkspace,
  PrincipalPermissionGrant,
  Project,
} from "../types/index.js";
import type { TestHarnessSeed } from "./harness-types.js";
import { describeValue, jsonRoundTrip, requireNonEmptyString } from "./validate.js";

/**
 * A timestamp as the plugin receives it from the real host: an ISO-8601 string. The
 * published record types say `Date`, but values cross JSON-RPC as strings; handing
 * strings to plugin tests keeps `createdAt.getTime()`-style bugs from passing here and
 * failing in production.
 */
export function wireTimestamp(): Date {
  return new Date().toISOString() as unknown as Date;
}

/** A copy the caller may mutate freely, like a record decoded from a JSON-RPC response. */
export function detached<T>(record: T): T {
  return jsonRoundTrip(record, "record");
}

/** Records keyed by id, kept as JSON copies so plugin code can never alias the store. */
export class RecordTable<T extends { id: string }> {
  private readonly rows = new Map<string, T>();

  constructor(readonly label: string) {}

  put(record: T): T {
    const copy = detached(record);
    this.rows.set(copy.id, copy);
    return detached(copy);
  }

  /** The stored row itself, for services that update it in place. */
  raw(id: string): T | undefined {
    return this.rows.get(id);
  }

  get(id: string): T | undefined {
    const row = this.rows.get(id);
    return row ? detached(row) : undefined;
  }

  delete(id: string): boolean {
    return this.rows.delete(id);
  }

  /** Rows in insertion order (creation order), filtered, as copies. */
  list(predicate: (row: T) => boolean = () => true): T[] {
    return [...this.rows.values()].filter(predicate).map(detached);
  }

  rawList(predicate: (row: T) => boolean = () => true): T[] {
    return [...this.rows.values()].filter(predicate);
  }
}

/** Attachment bytes live beside the attachment record, as on the host (record in DB, bytes in storage). */
export type SeededAttachment = IssueAttachment & { contentBase64?: string };

/** The in-memory host database the harness's domain clients read and write. */
export class DomainStore {
  readonly companies = new RecordTable<Company>("Company");
  readonly projects = new RecordTable<Project>("Project");
  readonly issues = new RecordTable<Issue>("Issue");
  readonly comments = new RecordTable<IssueComment>("Issue comment");
  readonly interactions = new RecordTable<IssueThreadInteraction>("Interaction");
  readonly attachments = new RecordTable<IssueAttachment>("Attachment");
  readonly attachmentContent = new Map<string, string>();
  readonly approvals = new RecordTable<Approval>("Approval");
  readonly agents = new RecordTable<Agent>("Agent");
  readonly goals = new RecordTable<Goal>("Goal");
  readonly projectWorkspaces = new RecordTable<PluginWorkspace>("Project workspace");
  readonly executionWorkspaces = new RecordTable<PluginExecutionWorkspaceMetadata>("Execution workspace");
  readonly accessMembers = new RecordTable<PluginAccessMember>("Member");
  readonly principalGrants = new RecordTable<PrincipalPermissionGrant>("Grant");
  /** Issue documents keyed by `<issueId>\u0000<key>`: one current revision per key. */
  readonly documents = new Map<string, IssueDocument>();
  /** Blocker relations as `blockerIssueId → set of blocked issue ids`. */
  readonly blocks = new Map<string, Set<string>>();

  seed(input: TestHarnessSeed): void {
    if (typeof input !== "object" || input === null) {
      throw new TypeError(`harness.seed: input must be an object (got ${describeValue(input)})`);
    }
    const tables: Array<[keyof TestHarnessSeed, RecordTable<{ id: string }>]> = [
      ["companies", this.companies],
      ["projects", this.projects],
      ["issues", this.issues],
      ["issueComments", this.comments],
      ["issueInteractions", this.interactions as unknown as RecordTable<{ id: string }>],
      ["approvals", this.approvals],
      ["agents", this.agents],
      ["goals", this.goals],
      ["projectWorkspaces", this.projectWorkspaces],
      ["executionWorkspaces", this.executionWorkspaces],
      ["accessMembers", this.accessMembers],
      ["principalGrants", this.principalGrants],
    ];
    for (const [field, table] of tables) {
      for (const [index, record] of seedList(input, field).entries()) {
        requireNonEmptyString((record as { id?: unknown })?.id, `harness.seed: ${field}[${index}].id`);
        table.put(record as { id: string });
      }
    }
    for (const [index, record] of seedList(input, "issueAttachments").entries()) {
      const { contentBase64, ...attachment } = record as SeededAttachment;
      requireNonEmptyString(attachment.id, `harness.seed: issueAttachments[${index}].id`);
      this.attachments.put(attachment as IssueAttachment);
      if (contentBase64 !== undefined) this.attachmentContent.set(attachment.id, contentBase64);
    }
  }

  /** A record of `table` that belongs to `companyId`, or undefined (the host never leaks other companies). */
  inCompany<T extends { id: string; companyId: string | null }>(
    table: RecordTable<T>,
    id: string,
    companyId: string,
  ): T | undefined {
    const row = table.raw(id);
    return row && row.companyId === companyId ? row : undefined;
  }

  /** Like `inCompany`, but a missing record is an error: `<Label> not found: <id>`. */
  mustFind<T extends { id: string; companyId: string | null }>(
    table: RecordTable<T>,
    id: string,
    companyId: string,
  ): T {
    const row = this.inCompany(table, id, companyId);
    if (!row) throw new Error(`${table.label} not found: ${id}`);
    return row;
  }
}

function seedList(input: TestHarnessSeed, field: keyof TestHarnessSeed): unknown[] {
  const list = input[field];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw new TypeError(`harness.seed: ${field} must be an array (got ${describeValue(list)})`);
  }
  return list;
}
