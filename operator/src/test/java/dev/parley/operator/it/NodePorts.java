package dev.parley.operator.it;

import java.util.concurrent.atomic.AtomicInteger;

/** Distinct node ports for the tests of one run, which share one API server. */
final class NodePorts {
    private static final AtomicInteger NEXT = new AtomicInteger(30100);

    private NodePorts() {
    }

    static int next() {
        return NEXT.getAndIncrement();
    }
}
