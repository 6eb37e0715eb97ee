package dev.parley.client.ui;

import dev.parley.client.chat.UserInput;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab at the chat prompt: a command's name in the first word, a user name after /to and /msg. */
final class ChatCompleter implements Completer {
    private volatile Supplier<? extends Collection<String>> names = List::of;

    void names(Supplier<? extends Collection<String>> names) {
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        if (line.wordIndex() == 0 && line.word().startsWith("/")) {
            UserInput.COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
        } else if (line.wordIndex() == 1 && UserInput.NAME_COMMANDS.contains(words.get(0).toLowerCase(Locale.ROOT))) {
            names.get().forEach(n -> candidates.add(new Candidate(n)));
        }
    }
}
