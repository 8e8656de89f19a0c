package io.xscheck.sut.fakexen;

import io.xscheck.sut.SutException;
import io.xscheck.sut.process.DaemonVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code cxenstored@tree=DIR} and {@code oxenstored@tree=DIR}: the daemon built from a Xen source
 * tree by {@code native/build-xen-tree.sh} (only the daemon and the in-tree libraries it links) into
 * a cache directory keyed by the tree's content ({@code ~/.cache/xscheck/xen-tree/<sha256>/} for C
 * xenstored, {@code <sha256>-oxenstored/} for oxenstored), so an unchanged tree is built once, and
 * run from there with those libraries; oxenstored with the tree's own oxenstored.conf and, on Xen
 * 4.18+, its plugin read through the shim's path map. The tree is never written.
 */
public final class TreeBuild {

    static final String SCRIPT = "/native/build-xen-tree.sh";
    /** A build from scratch takes half a minute at -j2; a loaded machine gets much longer. */
    private static final long BUILD_MINUTES = 20;
    private static final int LOG_LINES = 30;
    /** Daemons built in this JVM, by kind and tree path: the engine opens a target many times, the tree is hashed once. */
    private static final Map<String, XenDaemon> BUILT = new ConcurrentHashMap<>();

    private TreeBuild() {
    }

    /** The daemon of {@code kind} built from {@code tree} (building it unless the cache has it). */
    public static XenDaemon daemon(String spec, DaemonKind kind, Path tree) {
        Path dir = tree.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new SutException(SutException.Kind.ENVIRONMENT, spec, dir + " is not a directory", "");
        }
        return BUILT.computeIfAbsent(kind.family() + "@" + dir, k -> build(spec, kind, dir));
    }

    private static XenDaemon build(String spec, DaemonKind kind, Path tree) {
        String key = contentKey(tree);
        Path out = cacheRoot().resolve(kind == DaemonKind.CXENSTORED ? key : key + "-" + kind.family());
        try {
            Files.createDirectories(out);
            try (FileChannel lockFile = FileChannel.open(out.resolveSibling(out.getFileName() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (!Files.isRegularFile(out.resolve("built"))) {
                    runScript(spec, kind, tree, out);
                }
                Properties built = new Properties();
                try (InputStream in = Files.newInputStream(out.resolve("built"))) {
                    built.load(in);
                }
                List<Path> libs = Arrays.stream(built.getProperty("libs", "").split(":")).filter(s -> !s.isEmpty())
                        .map(Path::of).toList();
                String version = built.getProperty("version", "unknown");
                DaemonVersion v = new DaemonVersion(version + " (tree " + tree + ", content " + key.substring(0, 12) + ")",
                        Optional.ofNullable(built.getProperty("release")));
                return new XenDaemon(spec, kind, Path.of(built.getProperty("binary")), libs, pathMap(built),
                        Path.of(built.getProperty("config", OxenstoredConfig.STOCK.toString())), Optional.of(v));
            }
        } catch (IOException e) {
            throw new SutException(SutException.Kind.ENVIRONMENT, spec, "cannot build from " + tree + ": " + e, "", e);
        }
    }

    /** The record's {@code map=FROM=TO}: oxenstored's compiled-in plugin directory and where its plugin was put. */
    private static Map<String, Path> pathMap(Properties built) {
        String map = built.getProperty("map", "");
        int eq = map.indexOf('=');
        return eq > 0 ? Map.of(map.substring(0, eq), Path.of(map.substring(eq + 1))) : Map.of();
    }

    private static void runScript(String spec, DaemonKind kind, Path tree, Path out) throws IOException {
        Path script = out.resolve("build-xen-tree.sh");
        try (InputStream in = TreeBuild.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException(SCRIPT + " is not on the classpath");
            }
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("bash", script.toString(), kind.family(), tree.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("script.out").toFile()).start();
        try {
            boolean done = p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            if (!done || p.exitValue() != 0 || !Files.isRegularFile(out.resolve("built"))) {
                throw new SutException(SutException.Kind.ENVIRONMENT, spec, (done ? "the build failed" : "the build took over "
                        + BUILD_MINUTES + " minutes") + " (log: " + out.resolve("build.log") + ")", tail(out.resolve("build.log")));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SutException(SutException.Kind.ENVIRONMENT, spec, "interrupted while building", "", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        } catch (IOException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    /** SHA-256 over every file's relative path and bytes, sorted by path, .git left out: the tree's exact content. */
    static String contentKey(Path tree) {
        try (Stream<Path> files = Files.walk(tree)) {
            List<Path> sorted = new ArrayList<>(files.filter(Files::isRegularFile)
                    .filter(f -> !tree.relativize(f).startsWith(".git")).toList());
            sorted.sort(null);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : sorted) {
                sha.update(tree.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tree, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path cacheRoot() {
        String env = System.getenv("XSCHECK_CACHE");
        Path root = env != null && !env.isEmpty() && !env.equals("none") ? Path.of(env)
                : Path.of(Optional.ofNullable(System.getenv("XDG_CACHE_HOME")).orElse(System.getProperty("user.home") + "/.cache"),
                "xscheck");
        return root.resolve("xen-tree");
    }
}
