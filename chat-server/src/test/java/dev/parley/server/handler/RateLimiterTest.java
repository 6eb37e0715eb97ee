package dev.parley.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfOneSecondThenTheRate() {
        RateLimiter limiter = new RateLimiter(5, 0);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            if (limiter.tryAcquire(0)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(limiter.tryAcquire(SECOND / 10)).isFalse();
        assertThat(limiter.tryAcquire(SECOND / 5)).isTrue();
        assertThat(limiter.tryAcquire(SECOND / 5)).isFalse();
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimiter limiter = new RateLimiter(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire(0)).isTrue();
        }
    }
}
