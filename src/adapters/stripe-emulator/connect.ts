import { invalidRequest, resourceMissing } from "./errors.ts";
import type { FormObject } from "./form.ts";
import { currency, metadata, optionalString, requiredAmount, requiredString, requiredUrl } from "./params.ts";
import { refundedOrPending } from "./refunds.ts";
import { type Account, type OperationContext, randomId, randomToken, type Transfer } from "./store.ts";

export function createAccount(ctx: OperationContext, params: FormObject): Account {
  const type = requiredString(params, "type");
  if (type !== "express") {
    throw invalidRequest(`Invalid type: this emulator only creates express accounts, not '${type}'.`, {
      param: "type",
    });
  }
  const account: Account = {
    id: randomId("acct"),
    object: "account",
    type,
    email: optionalString(params, "email") ?? null,
    country: (optionalString(params, "country") ?? "US").toUpperCase(),
    capabilities: Object.fromEntries(requestedCapabilities(params).map((name) => [name, "inactive"])),
    details_submitted: false,
    charges_enabled: false,
    payouts_enabled: false,
    metadata: metadata(params),
    created: ctx.created,
  };
  ctx.state.accounts.set(account.id, account);
  return account;
}

export function retrieveAccount(ctx: OperationContext, id: string): Account {
  const account = ctx.state.accounts.get(id);
  if (!account) throw resourceMissing("account", id);
  return account;
}

/** What the connected account's owner does on Stripe's hosted onboarding pages. */
export function completeOnboarding(ctx: OperationContext, id: string): Account {
  const account = retrieveAccount(ctx, id);
  Object.assign(account, { details_submitted: true, charges_enabled: true, payouts_enabled: true });
  for (const name of Object.keys(account.capabilities)) account.capabilities[name] = "active";
  ctx.emit("account.updated", account);
  return account;
}

export function createAccountLink(ctx: OperationContext, params: FormObject) {
  const accountId = requiredString(params, "account");
  if (!ctx.state.accounts.has(accountId)) throw resourceMissing("account", accountId, "account");
  requiredUrl(params, "refresh_url");
  requiredUrl(params, "return_url");
  const type = requiredString(params, "type");
  if (type !== "account_onboarding") {
    throw invalidRequest(`Invalid type: only account_onboarding links are emulated, not '${type}'.`, {
      param: "type",
    });
  }
  return {
    object: "account_link",
    url: `https://connect.stripe.com/setup/e/${accountId}/${randomToken(12)}`,
    created: ctx.created,
    expires_at: ctx.created + 300,
  };
}

export function createTransfer(ctx: OperationContext, params: FormObject): Transfer {
  const amount = requiredAmount(params, "amount");
  const code = currency(params);
  const destination = requiredString(params, "destination");
  const account = ctx.state.accounts.get(destination);
  if (!account) throw resourceMissing("account", destination, "destination");
  if (!account.payouts_enabled) {
    throw invalidRequest(`The destination account ${destination} has not finished onboarding.`, {
      code: "account_invalid",
      param: "destination",
    });
  }
  const source = optionalString(params, "source_transaction") ?? null;
  if (source !== null) checkSourceBalance(ctx, source, amount);
  const transfer: Transfer = {
    id: randomId("tr"),
    object: "transfer",
    amount,
    amount_reversed: 0,
    currency: code,
    destination,
    source_transaction: source,
    transfer_group: optionalString(params, "transfer_group") ?? null,
    description: optionalString(params, "description") ?? null,
    metadata: metadata(params),
    reversed: false,
    created: ctx.created,
    livemode: false,
  };
  ctx.state.transfers.set(transfer.id, transfer);
  ctx.emit("transfer.created", transfer);
  return transfer;
}

export function retrieveTransfer(ctx: OperationContext, id: string): Transfer {
  const transfer = ctx.state.transfers.get(id);
  if (!transfer) throw resourceMissing("transfer", id);
  return transfer;
}

/** A transfer tied to a charge may only pass on what that charge still holds. */
function checkSourceBalance(ctx: OperationContext, chargeId: string, amount: number): void {
  const charge = ctx.state.charges.get(chargeId);
  if (!charge) throw resourceMissing("charge", chargeId, "source_transaction");
  if (!charge.captured) {
    throw invalidRequest("The source_transaction charge has not been captured.", {
      code: "charge_not_captured",
      param: "source_transaction",
    });
  }
  let transferred = 0;
  for (const transfer of ctx.state.transfers.values()) {
    if (transfer.source_transaction === chargeId) transferred += transfer.amount;
  }
  const available = charge.amount_captured - refundedOrPending(ctx.state, chargeId) - transferred;
  if (amount > available) {
    throw invalidRequest(
      `Insufficient funds from source_transaction ${chargeId}: ${available} available, ${amount} requested.`,
      { code: "balance_insufficient", param: "amount" },
    );
  }
}

function requestedCapabilities(params: FormObject): string[] {
  const capabilities = params.capabilities;
  if (capabilities === undefined) return [];
  if (typeof capabilities !== "object" || Array.isArray(capabilities)) {
    throw invalidRequest("Invalid object: capabilities must be a hash.", { param: "capabilities" });
  }
  return Object.entries(capabilities)
    .filter(([, value]) => typeof value === "object" && !Array.isArray(value) && value.requested === "true")
    .map(([name]) => name);
}
