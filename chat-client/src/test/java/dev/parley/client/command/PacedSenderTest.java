package dev.parley.client.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PacedSenderTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<Integer> backlog = new CopyOnWriteArrayList<>();

    @Test
    void linesGoOutInOrderNoFasterThanTheRateAfterAHalfSecondBurst() throws Exception {
        try (PacedSender pacer = new PacedSender(l -> sent.add(l.text()), backlog::add)) {
            pacer.rate(20);
            long start = System.nanoTime();
            for (int i = 1; i <= 20; i++) {
                assertThat(pacer.offer(new PacedSender.Line("*", "line " + i))).isTrue();
            }
            assertThat(pacer.awaitDrained(Duration.ofSeconds(10))).isTrue();
            // a burst of 10, then 10 more at 16 a second
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
            assertThat(sent).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20)
                    .mapToObj(i -> "line " + i).toList());
            // the lines past the burst wait, and the count says so until none is left
            assertThat(backlog).anyMatch(n -> n >= 5).endsWith(0);
        }
    }

    @Test
    void aRefusedLineGoesFirstAgainAfterThePauseTheServerAsked() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        try (PacedSender pacer = new PacedSender(l -> {
            sent.add(l.text());
            firstSent.countDown();
        }, backlog::add)) {
            pacer.rate(null);
            pacer.offer(new PacedSender.Line("*", "a"));
            firstSent.await();
            long start = System.nanoTime();
            pacer.retry(new PacedSender.Line("*", "a"), Duration.ofMillis(300));
            pacer.offer(new PacedSender.Line("*", "b"));
            assertThat(pacer.awaitDrained(Duration.ofSeconds(5))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(sent).containsExactly("a", "a", "b");
        }
    }

    @Test
    void theQueueIsBounded() {
        CountDownLatch never = new CountDownLatch(1);
        try (PacedSender pacer = new PacedSender(l -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, backlog::add)) {
            pacer.rate(null);
            int accepted = 0;
            while (accepted <= PacedSender.CAPACITY + 1 && pacer.offer(new PacedSender.Line("*", "x"))) {
                accepted++;
            }
            // the one being sent is out of the queue
            assertThat(accepted).isBetween(PacedSender.CAPACITY, PacedSender.CAPACITY + 1);
        } finally {
            never.countDown();
        }
    }
}
