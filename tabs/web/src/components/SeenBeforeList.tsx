import { Spinner } from "@fluentui/react-components";
import { useLoad } from "./useLoad";
import { useServices } from "../context";
import { Link, routes } from "../router";
import { formatInstant } from "../text";

/** Earlier postmortems whose conditions resemble this one's, each with the reason they match. */
export function SeenBeforeList({ postmortemId }: { postmortemId: string }) {
  const { api } = useServices();
  const [load] = useLoad(() => api.seenBefore(postmortemId), [api, postmortemId]);
  if (load.state === "loading") return <Spinner size="tiny" label="Looking for earlier postmortems like this one…" />;
  if (load.state === "error") return <p>Earlier postmortems can't be looked up right now.</p>;
  if (load.data.items.length === 0) return <p>Nothing like this was seen before, as far as the services, tags and contributing factors tell.</p>;
  return (
    <ul>
      {load.data.items.map((s) => (
        <li key={s.postmortemId}>
          Seen before in <Link href={routes.postmortem(s.postmortemId)}>{s.title}</Link> (<time dateTime={s.date}>{formatInstant(s.date)}</time>): {s.reason}.
        </li>
      ))}
    </ul>
  );
}
