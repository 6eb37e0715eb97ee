package dev.parley.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The invariants on hand-made ledgers: each kind of violation is found, named, and put in its window. */
class VerdictTest {
    private static final List<String> USERS = List.of("u0", "u1", "u2");

    private final SoakLedger u0 = new SoakLedger(0);
    private final SoakLedger u1 = new SoakLedger(1);
    private final SoakLedger u2 = new SoakLedger(2);
    private final List<SoakLedger> all = List.of(u0, u1, u2);

    private Verdict.Figures verdict() {
        return Verdict.of(all, USERS, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void directMessagesAndBroadcastsDeliveredOnceToEveryoneEntitledAreClean() {
        int dm = u0.onSend(10, false);
        u0.onAck(dm, 100);
        u1.onMessageId(100, 20);
        u1.onReceived(0, dm);
        int bc = u2.onSend(30, true);
        u2.onAck(bc, 101);
        for (SoakLedger r : List.of(u0, u1)) {
            r.onMessageId(101, 40);
            r.onReceived(2, bc);
        }

        Verdict.Figures f = verdict();

        assertThat(f.clean()).as(f.problems().toString()).isTrue();
        assertThat(f.sent()).isEqualTo(2);
        assertThat(f.acked()).isEqualTo(2);
        assertThat(f.delivered()).as("one DM copy and two broadcast copies").isEqualTo(3);
    }

    @Test
    void anAcknowledgedBroadcastMissingAtOneSessionIsLostAndNamed() {
        int bc = u0.onSend(10, true);
        u0.onAck(bc, 555);
        u1.onReceived(0, bc);

        Verdict.Figures f = verdict();

        assertThat(f.lost()).isEqualTo(1);
        assertThat(f.problems()).singleElement().asString()
                .contains("id 555", "u0 #0 to everyone", "acknowledged", "missing at u2");
    }

    @Test
    void aRefusedMessageThatArrivesAnywayIsAFalseDelivery() {
        int dm = u1.onSend(10, false);
        u1.onRefused(dm);
        u2.onReceived(1, dm);

        Verdict.Figures f = verdict();

        assertThat(f.falseDelivered()).isEqualTo(1);
        assertThat(f.lost()).isZero();
        assertThat(f.problems()).singleElement().asString().contains("refused");
    }

    @Test
    void anUnansweredSendIsFineWhenNobodyOrEverybodyGotItButNotWhenSomeDid() {
        int none = u0.onSend(10, true);
        int everyone = u0.onSend(11, true);
        int some = u0.onSend(12, true);
        u0.onDisconnect();
        for (SoakLedger r : List.of(u1, u2)) {
            r.onReceived(0, everyone);
        }
        u1.onReceived(0, some);

        Verdict.Figures f = verdict();

        assertThat(f.inDoubt()).isEqualTo(3);
        assertThat(f.lost()).as("only the broadcast that reached one of two").isEqualTo(1);
        assertThat(f.problems().get(0)).contains("u0 #" + some, "reached 1 of 2");
        assertThat(none).isZero();
    }

    @Test
    void anErrorSayingMaybeStoredIsAllOrNothingNotARefusal() {
        int delivered = u1.onSend(10, false);
        u1.onMaybeStored(delivered);
        u2.onReceived(1, delivered);
        int broadcast = u1.onSend(11, true);
        u1.onMaybeStored(broadcast);
        u0.onReceived(1, broadcast);

        Verdict.Figures f = verdict();

        assertThat(f.falseDelivered()).as("the server did not claim it was not stored").isZero();
        assertThat(f.inDoubt()).isEqualTo(2);
        assertThat(f.lost()).as("the broadcast reached u0 but not u2").isEqualTo(1);
    }

    @Test
    void anUnansweredSendSeenInItsSendersCatchUpWasStoredAndMustArrive() {
        int dm = u2.onSend(10, false);
        u2.onDisconnect();
        u2.onEcho(dm, 77);

        Verdict.Figures f = verdict();

        assertThat(f.lost()).isEqualTo(1);
        assertThat(f.problems().get(0)).contains("id 77", "stored", "missing at u0");
    }

    @Test
    void duplicatesReordersAndMisroutesAreCounted() {
        int dm = u0.onSend(10, false);
        u0.onAck(dm, 5);
        u1.onMessageId(5, 20);
        u1.onReceived(0, dm);
        u1.onMessageId(5, 21);
        u1.onReceived(0, dm);
        u2.onReceived(0, dm);

        Verdict.Figures f = verdict();

        assertThat(f.duplicated()).isEqualTo(1);
        assertThat(f.outOfOrder()).isEqualTo(1);
        assertThat(f.misrouted()).isEqualTo(1);
        assertThat(f.problems()).hasSize(3);
    }

    @Test
    void aWindowJudgesOnlyTheMessagesSentInIt() {
        int early = u0.onSend(10, false);
        u0.onAck(early, 1);
        int late = u0.onSend(1000, false);
        u0.onAck(late, 2);
        u1.onReceived(0, late);

        assertThat(Verdict.of(all, USERS, 0, 500).lost()).isEqualTo(1);
        assertThat(Verdict.of(all, USERS, 500, 2000).lost()).isZero();
        assertThat(Verdict.of(all, USERS, 500, 2000).sent()).isEqualTo(1);
    }
}
