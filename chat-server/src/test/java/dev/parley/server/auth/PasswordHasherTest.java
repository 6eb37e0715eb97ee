package dev.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(2000);

    @Test
    void aHashVerifiesItsPasswordOnly() {
        String stored = hasher.hash("right horse");
        assertThat(hasher.verify("right horse", stored)).isTrue();
        assertThat(hasher.verify("wrong horse", stored)).isFalse();
        assertThat(hasher.verify("right horse", "garbage")).isFalse();
    }

    @Test
    void aHashWithFewerIterationsIsWeakerThanCurrentAndOneWithMoreIsNot() {
        assertThat(hasher.weakerThanCurrent(new PasswordHasher(1000).hash("pw"))).isTrue();
        assertThat(hasher.weakerThanCurrent(hasher.hash("pw"))).isFalse();
        assertThat(hasher.weakerThanCurrent(new PasswordHasher(3000).hash("pw"))).isFalse();
        // an older hash of more iterations still verifies: the count is read from the stored form
        assertThat(hasher.verify("pw", new PasswordHasher(3000).hash("pw"))).isTrue();
        assertThat(hasher.weakerThanCurrent("pbkdf2-sha256$many$x$y")).isFalse();
        assertThat(hasher.weakerThanCurrent("bcrypt$10$x$y")).isFalse();
    }
}
