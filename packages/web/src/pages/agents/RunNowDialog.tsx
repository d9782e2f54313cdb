// "Run now": a prompt for the agent, sent as the wakeup's `payload.prompt`; on success the board opens the run.

import { type FormEvent, type KeyboardEvent, useState } from "react";
import { useNavigate } from "react-router";
import { isSkippedWakeup, useWakeAgent } from "@/api/agents";
import { errorMessage } from "@/api/client";
import type { Agent } from "@/api/types";
import { useCompanyPaths } from "@/app/CompanyContext";
import {
  Button,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Field,
  Kbd,
  Textarea,
  toast,
} from "@/components/ui";

export function RunNowDialog({
  agent,
  open,
  onOpenChange,
}: {
  agent: Agent;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent width="lg">
        {open ? <RunNowForm agent={agent} onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function RunNowForm({ agent, onDone }: { agent: Agent; onDone: () => void }) {
  const to = useCompanyPaths();
  const navigate = useNavigate();
  const wake = useWakeAgent({ silent: true });
  const [prompt, setPrompt] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [skipped, setSkipped] = useState<string | null>(null);
  const promptError = prompt.trim() ? null : "Prompt is required: say what the agent should do";

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    setSubmitted(true);
    setSkipped(null);
    if (promptError || wake.isPending) return;
    wake.mutate(
      {
        agentId: agent.id,
        source: "on_demand",
        triggerDetail: "manual",
        reason: "Run now from the board",
        payload: { prompt },
      },
      {
        onSuccess: (result) => {
          if (isSkippedWakeup(result)) {
            setSkipped(result.message ?? result.reason ?? "The host queued no run.");
            return;
          }
          // Wakes merge into an agent's queued run: that run keeps its own prompt.
          if (result.contextSnapshot?.prompt !== prompt) {
            toast({
              title: `${agent.name} already had a run queued`,
              description: "That run was opened; start yours once it is done.",
            });
          }
          onDone();
          navigate(to.agentRun(agent.urlKey, result.id));
        },
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Run {agent.name} now</DialogTitle>
        <DialogDescription>
          Starts a run right away with this prompt. Its output appears live on the run's page.
        </DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field
          label="Prompt"
          required
          error={submitted ? promptError : null}
          hint={
            <>
              Sent to the {agent.adapterType} adapter as <code className="font-mono">payload.prompt</code>.{" "}
              <Kbd>Ctrl</Kbd> <Kbd>Enter</Kbd> starts the run.
            </>
          }
        >
          <Textarea
            value={prompt}
            rows={7}
            autoFocus
            placeholder={"Summarise yesterday's failed builds\nand suggest a fix for each."}
            className="font-mono text-[13px]"
            onChange={(event) => setPrompt(event.target.value)}
            onKeyDown={onKeyDown}
          />
        </Field>
        {wake.error || skipped ? (
          <p role="alert" className="text-sm text-destructive">
            {skipped ?? errorMessage(wake.error)}
          </p>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={wake.isPending}>
          Start run
        </Button>
      </DialogFooter>
    </form>
  );
}
