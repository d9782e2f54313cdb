// Wires every domain service over one database, clock and notifier. The HTTP layer and the plugin runtime
// both use this object; nothing else touches the domain tables.
import type { Database } from "../db/database.js";
import { ActivityService } from "./activity.js";
import { type Clock, systemClock } from "./actor.js";
import { AgentsService } from "./agents.js";
import { ApprovalsService } from "./approvals.js";
import { BudgetsService } from "./budgets.js";
import { CompaniesService } from "./companies.js";
import { CompanyAccessService } from "./company-access.js";
import { CompanyMembersService } from "./company-members.js";
import { CostsService } from "./costs.js";
import { GoalsService } from "./goals.js";
import { IssueCheckoutService } from "./issue-checkout.js";
import { IssueCommentsService } from "./issue-comments.js";
import { IssueDocumentsService } from "./issue-documents.js";
import { IssueRelationsService } from "./issue-relations.js";
import { IssuesService } from "./issues.js";
import { EventNotifier } from "./notifier.js";
import { Outbox } from "./outbox.js";
import { ProjectWorkspacesService } from "./project-workspaces.js";
import { ProjectsService } from "./projects.js";
import { RunsService } from "./runs.js";
import { MutationRunner } from "./unit-of-work.js";
import { UserApiKeys } from "./user-api-keys.js";

export interface DomainServices {
  readonly db: Database;
  readonly notifier: EventNotifier;
  readonly outbox: Outbox;
  readonly runner: MutationRunner;
  readonly companies: CompaniesService;
  readonly projects: ProjectsService;
  readonly workspaces: ProjectWorkspacesService;
  readonly goals: GoalsService;
  readonly agents: AgentsService;
  readonly runs: RunsService;
  readonly issues: IssuesService;
  readonly comments: IssueCommentsService;
  readonly documents: IssueDocumentsService;
  readonly relations: IssueRelationsService;
  readonly checkout: IssueCheckoutService;
  readonly approvals: ApprovalsService;
  readonly budgets: BudgetsService;
  readonly costs: CostsService;
  readonly activity: ActivityService;
  /** roles in companies (docs/authentication.md), memberships, and signed-in users' API keys */
  readonly access: CompanyAccessService;
  readonly members: CompanyMembersService;
  readonly userKeys: UserApiKeys;
}

export function createServices(
  db: Database,
  options: { clock?: Clock; notifier?: EventNotifier } = {},
): DomainServices {
  const notifier = options.notifier ?? new EventNotifier();
  const runner = new MutationRunner(db, options.clock ?? systemClock, notifier);
  const runs = new RunsService(db, runner);
  const issues = new IssuesService(db, runner, runs);
  const budgets = new BudgetsService(db, runner, runs);
  return {
    db,
    notifier,
    outbox: new Outbox(db),
    runner,
    companies: new CompaniesService(db, runner),
    projects: new ProjectsService(db, runner),
    workspaces: new ProjectWorkspacesService(db, runner),
    goals: new GoalsService(db, runner),
    agents: new AgentsService(db, runner, runs),
    runs,
    issues,
    comments: new IssueCommentsService(db, runner),
    documents: new IssueDocumentsService(db, runner),
    relations: new IssueRelationsService(db.orm, runner),
    checkout: new IssueCheckoutService(runner, issues),
    approvals: new ApprovalsService(db, runner),
    budgets,
    costs: new CostsService(db, runner, budgets),
    activity: new ActivityService(db, runner),
    access: new CompanyAccessService(db),
    members: new CompanyMembersService(db, runner),
    userKeys: new UserApiKeys(db),
  };
}
