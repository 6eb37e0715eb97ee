package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.server.metrics.ServerMetrics;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Refused logins are all counted, and logged at most once per account per 10 s and 20 lines a second. */
class LoginRefusalsTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.7", 40000);

    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LoginRefusals refusals = new LoginRefusals(metrics, now::get);
    private final Logger logger = (Logger) LoggerFactory.getLogger(LoginRefusals.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private static Authenticator.Result wrong() {
        return new Authenticator.Result(Authenticator.Outcome.WRONG_PASSWORD, null, 0, 1);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void oneLinePerAccountEveryTenSecondsSayingHowManyWereLeftOut() {
        for (int i = 0; i < 100; i++) {
            refusals.refused("alice", FROM, wrong());
        }
        assertThat(messages()).containsExactly("Refused login for alice from /192.0.2.7:40000: wrong password");
        now.addAndGet(LoginRefusals.LOG_INTERVAL_NANOS);
        refusals.refused("alice", FROM, new Authenticator.Result(Authenticator.Outcome.LOCKED_OUT, null, 4000, 7));
        assertThat(messages()).hasSize(2).last().isEqualTo("Refused login for alice from /192.0.2.7:40000: "
                + "locked out for 4 s more after 7 wrong passwords in a row; 99 more for alice since the last line about it");
        assertThat(metrics.scrape()).contains("parley_logins_refused_total{reason=\"wrong_password\"} 100.0",
                "parley_logins_refused_total{reason=\"locked_out\"} 1.0");
    }

    @Test
    void atMostTwentyLinesASecondOverManyAccounts() {
        for (int i = 0; i < 1000; i++) {
            refusals.refused("user" + i, FROM, wrong());
        }
        assertThat(messages()).hasSize(LoginRefusals.LINES_PER_SECOND);
        now.addAndGet(1_000_000_000L);
        refusals.refused("late", FROM, wrong());
        assertThat(messages()).last().asString().endsWith("; 980 more refusals not logged (over 20 lines a second)");
        assertThat(metrics.scrape()).contains("parley_logins_refused_total{reason=\"wrong_password\"} 1001.0");
    }

    @Test
    void loginsThatWentThroughAreNotRefusals() {
        refusals.refused("bob", FROM, Authenticator.Result.of(Authenticator.Outcome.ACCEPTED));
        assertThat(messages()).isEmpty();
        assertThat(metrics.scrape()).contains("parley_logins_refused_total{reason=\"wrong_password\"} 0.0");
    }
}
