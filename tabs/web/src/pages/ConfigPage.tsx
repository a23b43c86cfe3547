import { MessageBar, MessageBarBody, Radio, RadioGroup, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { LoadProblem } from "../components/Problem";
import { useLoad } from "../components/useLoad";
import { useServices } from "../context";
import { severityLabel } from "../text";
import { PageHeading } from "./PageHeading";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  choice: { overflowWrap: "anywhere" },
});

/** The configurable tab's settings page: Teams shows it when the tab is added to a channel, chat or meeting. */
export function ConfigPage() {
  const styles = useStyles();
  const { api, host } = useServices();
  const [load, reload] = useLoad(() => api.listPostmortems("open", null, 50), [api]);
  const [chosen, setChosen] = useState<string>("");
  const [problem, setProblem] = useState<string | null>(null);

  const choose = async (id: string) => {
    setChosen(id);
    setProblem(null);
    try {
      await host.saveTabConfig(id);
    } catch {
      setProblem("Teams didn't accept the choice. Please choose again.");
    }
  };

  return (
    <div className={styles.page}>
      <PageHeading>Choose a postmortem for this tab</PageHeading>
      {!host.inTeams && (
        <MessageBar intent="info">
          <MessageBarBody>This page sets up the tab inside Teams. Open it from Teams to add the tab.</MessageBarBody>
        </MessageBar>
      )}
      {load.state === "loading" && <Spinner label="Loading open postmortems…" />}
      {load.state === "error" && <LoadProblem error={load.error} onRetry={reload} />}
      {load.state === "ready" && load.data.items.length === 0 && <p>There are no open postmortems yet. Start one by chatting with the bot, then add the tab.</p>}
      {load.state === "ready" && load.data.items.length > 0 && (
        <RadioGroup aria-label="Open postmortems" value={chosen} onChange={(_, d) => void choose(d.value)} disabled={!host.inTeams}>
          {load.data.items.map((p) => (
            <Radio key={p.id} value={p.id} className={styles.choice} label={`${p.title} (${severityLabel(p.severity)})`} />
          ))}
        </RadioGroup>
      )}
      <div role="status" aria-live="polite">
        {problem ?? (chosen && host.inTeams ? "Chosen. Select Save to add the tab." : "")}
      </div>
    </div>
  );
}
