import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { ApiError } from "../api";
import { useServices } from "../context";

/** What to tell someone when loading failed. Short and calm: people reading this may be in the middle of an incident. */
export function problemText(error: unknown, inTeams: boolean): { title: string; text: string } {
  const kind = error instanceof ApiError ? error.kind : "server";
  switch (kind) {
    case "signIn":
      return inTeams
        ? { title: "Please sign in to Teams again", text: "Teams could not confirm who you are. Sign in again, then reopen this tab." }
        : { title: "The tab needs Teams sign-in", text: "Open this tab from Teams to see your postmortems." };
    case "notFound":
      return { title: "We couldn't find this", text: "It may have been removed, or the link may be for another organisation." };
    case "network":
      return { title: "We couldn't reach the service", text: "Check your connection and try again." };
    case "validation":
      return { title: "Some values need a change", text: (error as ApiError).problem?.detail ?? "Please check the values and try again." };
    default:
      return { title: "Something went wrong on our side", text: "Please try again in a moment." };
  }
}

/**
 * A 400's messages by field ("from", "label", …), the first message of each; fields the form does not show are
 * left to LoadProblem, which reads them out with the rest.
 */
export function fieldErrors(error: unknown, shown: readonly string[]): Partial<Record<string, string>> {
  if (!(error instanceof ApiError) || error.kind !== "validation") return {};
  const fields: Partial<Record<string, string>> = {};
  for (const [key, messages] of Object.entries(error.problem?.errors ?? {})) {
    if (shown.includes(key) && messages.length > 0) fields[key] = messages[0];
  }
  return fields;
}

/** Shows why loading failed; for a 400, also the messages of fields the page does not mark itself (fieldsShown). */
export function LoadProblem({ error, onRetry, fieldsShown = [] }: { error: unknown; onRetry?: () => void; fieldsShown?: readonly string[] }) {
  const { host } = useServices();
  const problem = problemText(error, host.inTeams);
  const title = problem.title;
  let text = problem.text;
  if (error instanceof ApiError && error.kind === "validation") {
    const other = Object.entries(error.problem?.errors ?? {}).filter(([key]) => !fieldsShown.includes(key)).flatMap(([, messages]) => messages);
    text = [text, ...other].join(" ");
  }
  // Trying the same values again cannot help with a 400, a missing item or a sign-in.
  const canRetry = onRetry && !(error instanceof ApiError && (error.kind === "notFound" || error.kind === "signIn" || error.kind === "validation"));
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {text}
      </MessageBarBody>
      {canRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
