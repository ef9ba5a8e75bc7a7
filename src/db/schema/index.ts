export * from "./infra.ts";
