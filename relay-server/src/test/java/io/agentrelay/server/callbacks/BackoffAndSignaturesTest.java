package io.agentrelay.server.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffAndSignaturesTest {

    @Test
    void theDelayDoublesFromOneSecondWithinHalfToAllOfItUpToTheCap() {
        Backoff least = new Backoff(bound -> 0);
        Backoff most = new Backoff(bound -> bound - 1);

        assertThat(least.delayAfter(1)).isEqualTo(500);
        assertThat(most.delayAfter(1)).isEqualTo(1_000);
        assertThat(least.delayAfter(4)).isEqualTo(4_000);
        assertThat(most.delayAfter(4)).isEqualTo(8_000);
        long cap = Duration.ofMinutes(15).toMillis();
        assertThat(most.delayAfter(11)).isEqualTo(cap);
        assertThat(least.delayAfter(50)).isEqualTo(cap / 2);
        assertThat(most.delayAfter(50)).isEqualTo(cap);
    }

    @Test
    void theSignatureIsTheHexHmacSha256OfTheBody() {
        // RFC 4231, test case 2.
        assertThat(Signatures.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
