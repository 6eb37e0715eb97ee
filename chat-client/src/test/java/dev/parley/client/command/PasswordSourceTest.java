package dev.parley.client.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordSourceTest {
    @TempDir
    Path dir;

    @Test
    void fileComesFirstAndOnlyItsFirstLineCounts() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "s3cret\r\nignored\n");
        assertThat(PasswordSource.resolve(file, Map.of("CHAT_PASSWORD", "env"), p -> "typed".toCharArray(), "alice"))
                .isEqualTo("s3cret");
    }

    @Test
    void thenTheEnvironmentThenThePrompt() throws Exception {
        assertThat(PasswordSource.resolve(null, Map.of("CHAT_PASSWORD", "env pw"), p -> "typed".toCharArray(), "alice"))
                .isEqualTo("env pw");
        String[] asked = new String[1];
        assertThat(PasswordSource.resolve(null, Map.of(), p -> {
            asked[0] = p;
            return "typed".toCharArray();
        }, "alice")).isEqualTo("typed");
        assertThat(asked[0]).isEqualTo("Password for alice: ");
    }

    @Test
    void anEmptyPasswordAtThePromptAsksAgain() throws Exception {
        List<String> asked = new ArrayList<>();
        Iterator<String> answers = List.of("", "", "typed").iterator();
        assertThat(PasswordSource.resolve(null, Map.of(), p -> {
            asked.add(p);
            return answers.next().toCharArray();
        }, "alice")).isEqualTo("typed");
        assertThat(asked).containsExactly("Password for alice: ",
                "The password cannot be empty. Password for alice: ",
                "The password cannot be empty. Password for alice: ");
    }

    @Test
    void everyFailureSaysWhatToDo() throws Exception {
        assertThatThrownBy(() -> PasswordSource.resolve(null, Map.of(), null, "alice"))
                .hasMessageContaining("use --password-file FILE or set CHAT_PASSWORD");
        assertThatThrownBy(() -> PasswordSource.resolve(null, Map.of(), p -> null, "alice"))
                .hasMessage("no password given (input ended at the prompt)");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> PasswordSource.resolve(empty, Map.of(), null, "alice"))
                .hasMessage("the password from --password-file " + empty + " is empty");
        Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> PasswordSource.resolve(binary, Map.of(), null, "alice"))
                .hasMessage("--password-file " + binary + " is not UTF-8 text");
        Path tooLong = Files.writeString(dir.resolve("long"), "x".repeat(1025), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PasswordSource.resolve(tooLong, Map.of(), null, "alice"))
                .hasMessageContaining("longer than 1024 characters");
        assertThatThrownBy(() -> PasswordSource.resolve(dir, Map.of(), null, "alice"))
                .hasMessageStartingWith("cannot read --password-file " + dir);
    }
}
