package io.xscheck.model;

import io.xscheck.protocol.WatchEvent;

/** One watch event the model expects a connection to receive. */
public record Delivery(String conn, WatchEvent event) {
    public Delivery {
        if (conn == null || event == null) {
            throw new IllegalArgumentException("conn and event are required");
        }
    }

    @Override
    public String toString() {
        return conn + " <- " + event;
    }
}
