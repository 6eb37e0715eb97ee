package dev.parley.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final LogThrottle throttle = new LogThrottle(10, TimeUnit.SECONDS, now::get);

    @Test
    void theFirstOccurrenceIsLoggedThenOneLinePerIntervalCountingTheRest() {
        assertThat(throttle.occurred()).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
            assertThat(throttle.occurred()).isEqualTo(LogThrottle.SKIP);
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        // the 5 left out and this one
        assertThat(throttle.occurred()).isEqualTo(6);
        assertThat(throttle.occurred()).isEqualTo(LogThrottle.SKIP);
    }
}
