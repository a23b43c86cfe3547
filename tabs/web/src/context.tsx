import { createContext, useContext, useRef, type ReactNode } from "react";
import type { Api } from "./api";
import type { Host } from "./teams";
import type { Me } from "./types";

interface AppServices {
  host: Host;
  api: Api;
  /** The signed-in user, asked for once ("Assign to me"). */
  me: () => Promise<Me>;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ host, api, children }: { host: Host; api: Api; children: ReactNode }) {
  const me = useRef<Promise<Me> | null>(null);
  const value: AppServices = {
    host,
    api,
    me: () => {
      me.current ??= api.me().catch((e: unknown) => {
        me.current = null;
        throw e;
      });
      return me.current;
    },
  };
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}
