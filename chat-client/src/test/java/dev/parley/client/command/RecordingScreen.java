package dev.parley.client.command;

import dev.parley.client.ui.MessageFormatter;
import dev.parley.client.ui.Screen;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jline.utils.AttributedString;

/** A screen that keeps the lines shown and the status notes, without colour, for tests. */
final class RecordingScreen implements Screen {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> notes = new CopyOnWriteArrayList<>();

    /** A session screen for {@code user} showing here, its clock at 2026-11-28 15:00 UTC. */
    SessionScreen open(String user) {
        SessionScreen screen = new SessionScreen(new MessageFormatter(user, ZoneOffset.UTC,
                Clock.fixed(Instant.parse("2026-11-28T15:00:00Z"), ZoneOffset.UTC), false));
        screen.open(this);
        return screen;
    }

    @Override
    public void show(AttributedString line) {
        lines.add(line.toString());
    }

    @Override
    public String readLine(AttributedString prompt, String initial) {
        return null;
    }

    @Override
    public void status(String note) {
        notes.add(String.valueOf(note));
    }

    @Override
    public void wakeUp() {
    }

    @Override
    public void close() {
    }
}
