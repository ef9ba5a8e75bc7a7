import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.ts";

const secret = { JWT_SECRET: "x".repeat(32) };

describe("parseConfig", () => {
  it("applies defaults when only the required settings are set", () => {
    const config = parseConfig(secret);
    expect(config).toMatchObject({ APP_ENV: "development", LOG_LEVEL: "info", BODY_LIMIT_BYTES: 1_048_576 });
    expect(config.CORS_ORIGINS).toEqual([]);
  });

  it("splits CORS_ORIGINS on commas and trims", () => {
    expect(
      parseConfig({ ...secret, CORS_ORIGINS: "https://a.example, https://b.example ," }).CORS_ORIGINS,
    ).toEqual(["https://a.example", "https://b.example"]);
  });

  it("names every malformed setting and never echoes its value", () => {
    const attempt = () => parseConfig({ ...secret, BODY_LIMIT_BYTES: "lots-of-secret", LOG_LEVEL: "loud" });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const configError = error as ConfigError;
      expect(configError.settings.sort()).toEqual(["BODY_LIMIT_BYTES", "LOG_LEVEL"]);
      expect(configError.message).not.toContain("lots-of-secret");
    }
  });

  it("treats an empty string as unset", () => {
    expect(parseConfig({ ...secret, LOG_LEVEL: "" }).LOG_LEVEL).toBe("info");
  });

  it("requires a JWT_SECRET of at least 32 characters", () => {
    expect(() => parseConfig({})).toThrow(/JWT_SECRET: is required/);
    expect(() => parseConfig({ JWT_SECRET: "short" })).toThrow(/JWT_SECRET: must be at least 32 characters/);
  });
});
