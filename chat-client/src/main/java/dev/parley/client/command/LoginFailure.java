package dev.parley.client.command;

import dev.parley.client.net.LoginRefusedException;
import dev.parley.client.net.NotParleyException;
import dev.parley.client.net.UnreachableException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.PrintWriter;

/** What a mode's first login says on standard error: a failure (and the exit code that tells its kind), a new account. */
final class LoginFailure {
    private LoginFailure() {
    }

    /** Reports {@code e}, as thrown by a mode's first login, and returns the exit code to end with. */
    static int report(Exception e, PrintWriter err) {
        if (e instanceof LoginRefusedException) {
            err.println("parley-chat: login refused: " + e.getMessage());
            return ExitCode.LOGIN_REFUSED;
        }
        err.println("parley-chat: " + e.getMessage());
        // both are IOExceptions: test them before the general case
        return e instanceof UnreachableException || e instanceof NotParleyException ? ExitCode.UNREACHABLE
                : ExitCode.FAILED;
    }

    /** A login that created the account says so on standard error: a script's typo in a name shows. */
    static void noteRegistered(ServerFrame.Welcome welcome, PrintWriter err) {
        if (welcome.registered()) {
            err.println("parley-chat: registered new account " + welcome.user());
            err.flush();
        }
    }
}
