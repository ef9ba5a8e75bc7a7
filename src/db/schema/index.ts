export * from "./identity.ts";
export * from "./infra.ts";
