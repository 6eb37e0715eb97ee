package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The admin token Secret a ChatService refers to, as the operator found it: not asked for,
 * missing (the Secret or its key), or present with a hash of its value that goes on the pod
 * template so the chat servers roll when the token changes. The hash is of the value as the API
 * returns it (base64), which changes exactly when the token does.
 *
 * @param ref the reference in the spec, null when none
 * @param hash SHA-256 of the value when present, else null
 * @param problem why it cannot be used, else null
 */
public record AdminToken(SecretKeyRef ref, String hash, String problem) {
    public static final AdminToken NONE = new AdminToken(null, null, null);

    /** Looks the reference up in what the Secret informer holds for this ChatService. */
    public static AdminToken resolve(ChatService cr, Optional<Secret> secret) {
        SecretKeyRef ref = refOf(cr);
        if (ref == null) {
            return NONE;
        }
        if (secret.isEmpty()) {
            return new AdminToken(ref, null, "Secret " + ref.getName() + " (for chat.adminTokenSecretRef) does not exist in namespace "
                    + cr.getMetadata().getNamespace());
        }
        Secret s = secret.get();
        String value = s.getData() == null ? null : s.getData().get(ref.getKey());
        if (value == null) {
            return new AdminToken(ref, null, "Secret " + ref.getName() + " has no key " + ref.getKey()
                    + " (for chat.adminTokenSecretRef)");
        }
        return new AdminToken(ref, sha256(value), null);
    }

    /** The reference in the spec, or null; safe on any object the informer may hold (it runs in an index). */
    public static SecretKeyRef refOf(ChatService cr) {
        if (cr.getSpec() == null || cr.getSpec().getChat() == null) {
            return null;
        }
        return cr.getSpec().getChat().getAdminTokenSecretRef();
    }

    public boolean missing() {
        return problem != null;
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
