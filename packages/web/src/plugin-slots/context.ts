// The host context the board gives plugin mounts (reference §10.3 `PluginHostContext`): the active company,
// the board user and, for entity surfaces, the entity. One memoized object per distinct value, so a mount does
// not re-render (or refetch its bridge data) when the surrounding page re-renders.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { useMemo } from "react";
import { useOptionalCompany } from "@/app/CompanyContext";
import {
  type LauncherMount,
  launchersInZone,
  type SlotMount,
  slotsOfType,
  usePluginContributions,
} from "@/plugin-ui";

/** The user id the local trusted board acts as (the host's `local-board` actor). */
export const BOARD_USER_ID = "local-board";

/** Entity fields a surface adds to the company context. */
export interface EntityContext {
  entityType?: string | null;
  entityId?: string | null;
  projectId?: string | null;
  parentEntityId?: string | null;
  /** Override the company (instance pages pass the last opened company). */
  companyId?: string | null;
  companyPrefix?: string | null;
}

export function useBoardHostContext(entity: EntityContext = {}): PluginHostContext {
  const company = useOptionalCompany();
  const companyId = entity.companyId !== undefined ? entity.companyId : (company?.id ?? null);
  const companyPrefix =
    entity.companyPrefix !== undefined ? entity.companyPrefix : (company?.issuePrefix ?? null);
  const { entityType = null, entityId = null, parentEntityId = null } = entity;
  const projectId = entity.projectId ?? (entityType === "project" ? entityId : null);
  return useMemo(
    () => ({
      companyId,
      companyPrefix,
      projectId,
      entityId,
      entityType,
      parentEntityId,
      userId: BOARD_USER_ID,
      renderEnvironment: null,
    }),
    [companyId, companyPrefix, projectId, entityId, entityType, parentEntityId],
  );
}

/** The ready plugins' slots of `type` (for `entityType` when given), in manifest order. */
export function useSlotMounts(type: SlotMount["slot"]["type"], entityType?: string | null): SlotMount[] {
  const contributions = usePluginContributions();
  const data = contributions.data;
  return useMemo(() => (data ? slotsOfType(data, type, entityType) : []), [data, type, entityType]);
}

/** The launchers placed in `zone` (for `entityType` when given). */
export function useLauncherMounts(
  zone: LauncherMount["launcher"]["placementZone"],
  entityType?: string | null,
): LauncherMount[] {
  const contributions = usePluginContributions();
  const data = contributions.data;
  return useMemo(() => (data ? launchersInZone(data, zone, entityType) : []), [data, zone, entityType]);
}
