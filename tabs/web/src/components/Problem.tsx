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
    default:
      return { title: "Something went wrong on our side", text: "Please try again in a moment." };
  }
}

export function LoadProblem({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { host } = useServices();
  const { title, text } = problemText(error, host.inTeams);
  const canRetry = onRetry && !(error instanceof ApiError && (error.kind === "notFound" || error.kind === "signIn"));
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
