package dev.parley.client.command;

import dev.parley.client.net.ChatLink;
import dev.parley.client.net.Connected;
import dev.parley.client.net.LoginRefusedException;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The interactive login. A password typed at the prompt does not register a name that does not
 * exist yet (a typo would silently make a new account): the person is told, and types it again
 * to register. A password from a script registers implicitly, as the server does by default.
 */
final class NewAccountLogin {
    private NewAccountLogin() {
    }

    /**
     * Opens {@code link} with {@code hello}; null when the person typed a different password the
     * second time.
     *
     * @param confirm asks for the password again before registering a new account; null registers implicitly
     */
    static Connected open(ChatLink link, ClientFrame.Hello hello, Target target,
                          ClientEnvironment.PasswordPrompt confirm, PrintWriter err)
            throws IOException, LoginRefusedException {
        if (confirm == null) {
            return link.open(hello);
        }
        try {
            return link.open(hello.withoutRegistering());
        } catch (LoginRefusedException e) {
            if (e.error().code() != ErrorCode.NO_SUCH_USER) {
                throw e;
            }
        }
        err.println("parley-chat: there is no account named " + target.user() + " yet; type the same password "
                + "again to register it (Ctrl-C to stop)");
        err.flush();
        char[] again = confirm.ask("Password for the new account " + target.user() + " again: ");
        if (again == null || !target.password().equals(new String(again))) {
            err.println("parley-chat: the passwords differ; no account registered");
            return null;
        }
        return link.open(hello);
    }
}
