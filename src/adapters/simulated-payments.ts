import Stripe from "stripe";
import type { PaymentSettings } from "../config.ts";
import type { Clock, Logger, Payments } from "../ports.ts";
import { createStripeEmulator } from "./stripe-emulator/emulator.ts";
import { providerError, realStripePayments, SUBSCRIBED_EVENTS, stripePayments } from "./stripe-payments.ts";

/** Test-mode cards: the one every payment succeeds with, and the one always declined. */
const CARDS = { succeed: "pm_card_visa", fail: "pm_card_chargeDeclined" } as const;

/**
 * Payments without a Stripe account: the same Stripe adapter, talking to a Stripe emulator in
 * process that behaves like Stripe's test mode. Its events are signed with a secret of this
 * process and handed to `deliver`, which gives them to the webhook's own verb, as Stripe would
 * post them; a simulated payment answers once its events are delivered. State lives in memory: it
 * ends with the process.
 */
export function simulatedPayments(options: {
  clock: Clock;
  logger: Logger;
  deliver: (rawBody: string, signature: string) => Promise<void>;
}): Payments {
  const webhookSecret = `whsec_simulated_${crypto.randomUUID().replaceAll("-", "")}`;
  const signer = Stripe.createSubtleCryptoProvider();
  // Signed at the real time, not the app's clock: the verifier checks the age against the real time.
  // One event after the other, in the order the emulator made them, as Stripe mostly does.
  let delivered: Promise<void> = Promise.resolve();
  const emulator = createStripeEmulator({
    now: () => options.clock.now(),
    // A process may run for weeks: keep no log of requests and events, only Stripe's objects.
    record: false,
    onEvent: (event) => {
      if (!SUBSCRIBED_EVENTS.has(event.type)) return;
      const payload = JSON.stringify(event);
      delivered = delivered.then(async () => {
        const signature = await client.webhooks.generateTestHeaderStringAsync({
          payload,
          secret: webhookSecret,
          cryptoProvider: signer,
        });
        await options.deliver(payload, signature);
      });
      // As with Stripe, an event the app failed to take is not taken back; later ones still come.
      delivered = delivered.catch((error: unknown) =>
        options.logger.log("warn", "payment.simulated.undelivered", {
          event: event.id,
          error: error instanceof Error ? error.name : "unknown",
        }),
      );
    },
  });
  const client = new Stripe("sk_test_simulated", {
    httpClient: Stripe.createFetchHttpClient((input, init) => emulator.fetch(new Request(input, init))),
    maxNetworkRetries: 0,
  });
  const payments: Payments = stripePayments({
    client,
    webhookSecret,
    simulation: {
      async pay(intentId, outcome) {
        try {
          await client.paymentIntents.confirm(intentId, { payment_method: CARDS[outcome] });
        } catch (error) {
          // A declined card is the outcome asked for; the intent says so.
          if (!(error instanceof Stripe.errors.StripeCardError)) throw providerError(error);
        }
        await delivered;
        return payments.getIntent(intentId);
      },
      async completeOnboarding(accountId) {
        emulator.completeOnboarding(accountId);
        await delivered;
      },
    },
  });
  return payments;
}

/** The payments port the settings ask for: Stripe with a key, else simulated. */
export function paymentsFor(
  settings: PaymentSettings,
  simulation: Parameters<typeof simulatedPayments>[0],
): Payments {
  return settings.simulated ? simulatedPayments(simulation) : realStripePayments(settings);
}
