package io.xscheck.protocol;

/**
 * An XS_WATCH_EVENT a daemon sends unasked: {@code path\0token\0}. The path is as the watch was
 * registered (relative watches get relative paths); the token is the watch's own.
 */
public record WatchEvent(String path, String token) {
    public WatchEvent {
        if (path == null || token == null) {
            throw new IllegalArgumentException("path and token are required");
        }
    }

    @Override
    public String toString() {
        return path + " " + token;
    }
}
