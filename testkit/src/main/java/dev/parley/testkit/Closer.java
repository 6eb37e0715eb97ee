package dev.parley.testkit;

/** Closes what a test started, in the order given; a null (never started) is skipped. */
public final class Closer {
    private Closer() {
    }

    /**
     * Closes every one, even after one of them fails, then rethrows the first failure with the
     * others suppressed: a process that will not stop is reported, and the rest are stopped anyway.
     */
    public static void closeAll(AutoCloseable... resources) {
        Throwable first = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception | Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException("closing " + resources.length + " test resources failed", first);
        }
    }

    /**
     * Closes every one and ignores failures: best effort for teardowns that must not hide the
     * test's own failure. A {@link ManagedProcess} that survives it is still killed at JVM exit.
     */
    public static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // best effort, see above
            }
        }
    }
}
