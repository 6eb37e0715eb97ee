package dev.parley.operator.support;

import java.util.Objects;

/**
 * What the operator was started with that shapes the objects it makes: the images a ChatService
 * gets when its spec names none.
 *
 * @param serverImage default chat server image
 * @param redisImage default Redis image
 */
public record OperatorSettings(String serverImage, String redisImage) {
    public OperatorSettings {
        Objects.requireNonNull(serverImage, "serverImage");
        Objects.requireNonNull(redisImage, "redisImage");
    }
}
