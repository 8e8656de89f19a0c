package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole {@link ModelState} (tree, domains, connections with their watches and open
 * transactions, special ACLs, counters) as bytes and back, so that a state can be saved and
 * restored: the model's version of QEMU's xenstore serialize/deserialize. The format is private
 * to this class and versioned; {@link #read} rejects anything else with an
 * {@link IllegalArgumentException}.
 */
public final class Snapshot {
    private Snapshot() {
    }

    private static final int MAGIC = 0x58534d36; // "XSM6": watches carry their registration serial, transactions special ACLs and special reads, accessed nodes their order, the state QEMU's last transaction id and its special nodes' write counts

    public static byte[] write(ModelState s) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeInt(MAGIC);
            tree(out, s.tree());
            out.writeInt(s.domains().size());
            for (Domain d : s.domains().values()) {
                out.writeInt(d.domid());
                out.writeLong(d.mfn());
                out.writeInt(d.port());
                out.writeInt(d.target());
                out.writeBoolean(d.shutDown());
            }
            out.writeInt(s.specialAcls().size());
            for (Map.Entry<String, ImmutableList<Perm>> e : s.specialAcls().entrySet()) {
                out.writeUTF(e.getKey());
                perms(out, e.getValue());
            }
            out.writeLong(s.generation());
            out.writeLong(s.commits());
            out.writeInt(s.existing().size());
            for (int d : s.existing()) {
                out.writeInt(d);
            }
            out.writeInt(s.dead().size());
            for (int d : s.dead()) {
                out.writeInt(d);
            }
            out.writeInt(s.connections().size());
            for (Map.Entry<String, Connection> e : s.connections().entrySet()) {
                out.writeUTF(e.getKey());
                connection(out, e.getValue());
            }
            domainStructs(out, s.domainStructs());
            out.writeLong(s.lastTxId());
            longs(out, s.specialWrites());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public static ModelState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a model snapshot (bad magic)");
            }
            Tree tree = tree(in);
            ImmutableMap.Builder<Integer, Domain> domains = ImmutableMap.builder();
            for (int i = in.readInt(); i > 0; i--) {
                Domain d = new Domain(in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readBoolean());
                domains.put(d.domid(), d);
            }
            ImmutableMap.Builder<String, ImmutableList<Perm>> special = ImmutableMap.builder();
            for (int i = in.readInt(); i > 0; i--) {
                special.put(in.readUTF(), perms(in));
            }
            long generation = in.readLong();
            long commits = in.readLong();
            com.google.common.collect.ImmutableSet.Builder<Integer> existing = com.google.common.collect.ImmutableSet.builder();
            for (int i = in.readInt(); i > 0; i--) {
                existing.add(in.readInt());
            }
            com.google.common.collect.ImmutableSet.Builder<Integer> dead = com.google.common.collect.ImmutableSet.builder();
            for (int i = in.readInt(); i > 0; i--) {
                dead.add(in.readInt());
            }
            ImmutableMap.Builder<String, Connection> conns = ImmutableMap.builder();
            for (int i = in.readInt(); i > 0; i--) {
                conns.put(in.readUTF(), connection(in));
            }
            DomainStructs gens = domainStructs(in);
            long lastTxId = in.readLong();
            ImmutableMap<String, Long> specialWrites = longs(in);
            if (in.available() != 0) {
                throw new IllegalArgumentException("model snapshot has " + in.available() + " trailing bytes");
            }
            return new ModelState(tree, conns.buildOrThrow(), domains.buildOrThrow(), special.buildOrThrow(), generation, commits,
                    existing.build(), dead.build(), gens, lastTxId, specialWrites);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt model snapshot: " + e, e);
        }
    }

    private static void tree(DataOutputStream out, Tree t) throws IOException {
        List<String> paths = t.paths();
        out.writeInt(paths.size());
        for (String p : paths) {
            out.writeUTF(p);
            node(out, t.node(p));
        }
    }

    private static Tree tree(DataInputStream in) throws IOException {
        int n = in.readInt();
        Tree t = null;
        for (int i = 0; i < n; i++) {
            String p = in.readUTF();
            Node node = node(in);
            t = t == null ? Tree.withRoot(node) : t.put(p, node);
            if (i == 0 && !p.equals("/")) {
                throw new IllegalArgumentException("model snapshot tree does not start at the root");
            }
        }
        if (t == null) {
            throw new IllegalArgumentException("model snapshot has an empty tree");
        }
        return t;
    }

    private static void node(DataOutputStream out, Node n) throws IOException {
        bytes(out, n.value());
        perms(out, n.perms());
        strings(out, n.children());
        out.writeLong(n.generation());
        ints(out, n.ignored());
    }

    private static Node node(DataInputStream in) throws IOException {
        return new Node(bytes(in), perms(in), strings(in), in.readLong(), ints(in));
    }

    private static void ints(DataOutputStream out, java.util.Set<Integer> xs) throws IOException {
        out.writeInt(xs.size());
        for (int x : xs) {
            out.writeInt(x);
        }
    }

    private static com.google.common.collect.ImmutableSet<Integer> ints(DataInputStream in) throws IOException {
        com.google.common.collect.ImmutableSet.Builder<Integer> b = com.google.common.collect.ImmutableSet.builder();
        for (int i = in.readInt(); i > 0; i--) {
            b.add(in.readInt());
        }
        return b.build();
    }

    private static void domainStructs(DataOutputStream out, DomainStructs g) throws IOException {
        ints(out, g.notIntroduced());
        ints(out, g.freed());
    }

    private static DomainStructs domainStructs(DataInputStream in) throws IOException {
        com.google.common.collect.ImmutableSet<Integer> notIntroduced = ints(in);
        return new DomainStructs(notIntroduced, ints(in));
    }

    private static void connection(DataOutputStream out, Connection c) throws IOException {
        out.writeInt(c.domid());
        out.writeLong(c.nextTxId());
        out.writeInt(c.watches().size());
        for (Watch w : c.watches()) {
            out.writeUTF(w.given());
            out.writeUTF(w.token());
            out.writeUTF(w.canonical());
            out.writeBoolean(w.relative());
            out.writeLong(w.serial());
        }
        out.writeInt(c.transactions().size());
        for (Transaction t : c.transactions().values()) {
            transaction(out, t);
        }
    }

    private static Connection connection(DataInputStream in) throws IOException {
        int domid = in.readInt();
        long next = in.readLong();
        ImmutableList.Builder<Watch> watches = ImmutableList.builder();
        for (int i = in.readInt(); i > 0; i--) {
            watches.add(new Watch(in.readUTF(), in.readUTF(), in.readUTF(), in.readBoolean(), in.readLong()));
        }
        ImmutableMap.Builder<Long, Transaction> txs = ImmutableMap.builder();
        for (int i = in.readInt(); i > 0; i--) {
            Transaction t = transaction(in);
            txs.put(t.id(), t);
        }
        return new Connection(domid, watches.build(), txs.buildOrThrow(), next);
    }

    private static void transaction(DataOutputStream out, Transaction t) throws IOException {
        out.writeLong(t.id());
        tree(out, t.base());
        tree(out, t.view());
        List<Map.Entry<String, Transaction.Accessed>> acc = new ArrayList<>(t.accessed().entries());
        acc.sort(Map.Entry.comparingByKey());
        out.writeInt(acc.size());
        for (Map.Entry<String, Transaction.Accessed> e : acc) {
            out.writeUTF(e.getKey());
            Transaction.Accessed a = e.getValue();
            out.writeBoolean(a.node().isPresent());
            if (a.node().isPresent()) {
                node(out, a.node().get());
            }
            out.writeLong(a.generation());
            out.writeBoolean(a.checkGeneration());
            out.writeBoolean(a.modified());
            out.writeInt(a.order());
        }
        out.writeLong(t.startCommits());
        out.writeInt(t.changes().size());
        for (Change c : t.changes()) {
            out.writeUTF(c.path());
            out.writeBoolean(c.exact());
            out.writeBoolean(c.removal());
            out.writeInt(c.acls().size());
            for (ImmutableList<Perm> acl : c.acls()) {
                perms(out, acl);
            }
            out.writeInt(c.below().size());
            for (Change.Removed r : c.below()) {
                out.writeUTF(r.path());
                perms(out, r.acl());
            }
        }
        out.writeInt(t.recorded().size());
        for (Transaction.Recorded r : t.recorded()) {
            request(out, r.request());
            reply(out, r.reply());
        }
        out.writeBoolean(t.wrote());
        out.writeBoolean(t.failed());
        out.writeUTF(t.readLow());
        out.writeUTF(t.writeLow());
        out.writeInt(t.specialAcls().size());
        for (Map.Entry<String, ImmutableList<Perm>> e : t.specialAcls().entrySet()) {
            out.writeUTF(e.getKey());
            perms(out, e.getValue());
        }
        longs(out, t.specialReads());
    }

    private static void longs(DataOutputStream out, Map<String, Long> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, Long> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static ImmutableMap<String, Long> longs(DataInputStream in) throws IOException {
        ImmutableMap.Builder<String, Long> m = ImmutableMap.builder();
        for (int i = in.readInt(); i > 0; i--) {
            m.put(in.readUTF(), in.readLong());
        }
        return m.buildOrThrow();
    }

    private static Transaction transaction(DataInputStream in) throws IOException {
        long id = in.readLong();
        Tree base = tree(in);
        Tree view = tree(in);
        PersistentMap<String, Transaction.Accessed> acc = PersistentMap.empty();
        for (int i = in.readInt(); i > 0; i--) {
            String p = in.readUTF();
            Optional<Node> n = in.readBoolean() ? Optional.of(node(in)) : Optional.empty();
            acc = acc.with(p, new Transaction.Accessed(n, in.readLong(), in.readBoolean(), in.readBoolean(), in.readInt()));
        }
        long start = in.readLong();
        ImmutableList.Builder<Change> changes = ImmutableList.builder();
        for (int i = in.readInt(); i > 0; i--) {
            String path = in.readUTF();
            boolean exact = in.readBoolean();
            boolean removal = in.readBoolean();
            ImmutableList.Builder<ImmutableList<Perm>> acls = ImmutableList.builder();
            for (int j = in.readInt(); j > 0; j--) {
                acls.add(perms(in));
            }
            ImmutableList.Builder<Change.Removed> below = ImmutableList.builder();
            for (int j = in.readInt(); j > 0; j--) {
                below.add(new Change.Removed(in.readUTF(), perms(in)));
            }
            changes.add(new Change(path, exact, removal, acls.build(), below.build()));
        }
        ImmutableList.Builder<Transaction.Recorded> recorded = ImmutableList.builder();
        for (int i = in.readInt(); i > 0; i--) {
            recorded.add(new Transaction.Recorded(request(in), reply(in)));
        }
        boolean wrote = in.readBoolean();
        boolean failed = in.readBoolean();
        String readLow = in.readUTF();
        String writeLow = in.readUTF();
        ImmutableMap.Builder<String, ImmutableList<Perm>> specialAcls = ImmutableMap.builder();
        for (int i = in.readInt(); i > 0; i--) {
            specialAcls.put(in.readUTF(), perms(in));
        }
        return new Transaction(id, base, view, acc, start, changes.build(), recorded.build(), wrote, failed, readLow, writeLow,
                specialAcls.buildOrThrow(), longs(in));
    }

    /** Tree requests, malformed ones and (oxenstored) a refused nested TRANSACTION_START are recorded in transactions. */
    private static void request(DataOutputStream out, Request r) throws IOException {
        if (r instanceof Request.Read x) {
            out.writeByte(1);
            out.writeUTF(x.path());
        } else if (r instanceof Request.Write x) {
            out.writeByte(2);
            out.writeUTF(x.path());
            bytes(out, x.value());
        } else if (r instanceof Request.Mkdir x) {
            out.writeByte(3);
            out.writeUTF(x.path());
        } else if (r instanceof Request.Rm x) {
            out.writeByte(4);
            out.writeUTF(x.path());
        } else if (r instanceof Request.Directory x) {
            out.writeByte(5);
            out.writeUTF(x.path());
        } else if (r instanceof Request.DirectoryPart x) {
            out.writeByte(6);
            out.writeUTF(x.path());
            out.writeLong(x.offset());
        } else if (r instanceof Request.GetPerms x) {
            out.writeByte(7);
            out.writeUTF(x.path());
        } else if (r instanceof Request.SetPerms x) {
            out.writeByte(8);
            out.writeUTF(x.path());
            perms(out, ImmutableList.copyOf(x.perms()));
        } else if (r instanceof Request.Raw x) {
            out.writeByte(9);
            out.writeInt(x.type());
            bytes(out, x.payload());
        } else if (r instanceof Request.TransactionStart) {
            out.writeByte(10);
        } else {
            throw new IllegalArgumentException("cannot snapshot a recorded " + r.op());
        }
    }

    private static Request request(DataInputStream in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case 1 -> new Request.Read(in.readUTF());
            case 2 -> new Request.Write(in.readUTF(), bytes(in));
            case 3 -> new Request.Mkdir(in.readUTF());
            case 4 -> new Request.Rm(in.readUTF());
            case 5 -> new Request.Directory(in.readUTF());
            case 6 -> new Request.DirectoryPart(in.readUTF(), in.readLong());
            case 7 -> new Request.GetPerms(in.readUTF());
            case 8 -> new Request.SetPerms(in.readUTF(), perms(in));
            case 9 -> new Request.Raw(in.readInt(), bytes(in));
            case 10 -> new Request.TransactionStart();
            default -> throw new IllegalArgumentException("model snapshot has unknown request tag " + tag);
        };
    }

    private static void reply(DataOutputStream out, Reply r) throws IOException {
        if (r instanceof Reply.Ok) {
            out.writeByte(1);
        } else if (r instanceof Reply.Error x) {
            out.writeByte(2);
            out.writeUTF(x.name());
        } else if (r instanceof Reply.Value x) {
            out.writeByte(3);
            bytes(out, x.value());
        } else if (r instanceof Reply.Names x) {
            out.writeByte(4);
            strings(out, ImmutableList.copyOf(x.names()));
        } else if (r instanceof Reply.DirectoryChunk x) {
            out.writeByte(5);
            out.writeUTF(x.generation());
            bytes(out, x.chunk());
        } else if (r instanceof Reply.Perms x) {
            out.writeByte(6);
            perms(out, ImmutableList.copyOf(x.perms()));
        } else if (r instanceof Reply.TransactionId x) {
            out.writeByte(7);
            out.writeLong(x.id());
        } else if (r instanceof Reply.Text x) {
            out.writeByte(8);
            out.writeUTF(x.text());
        } else {
            throw new IllegalArgumentException("cannot snapshot reply " + r);
        }
    }

    private static Reply reply(DataInputStream in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case 1 -> new Reply.Ok();
            case 2 -> new Reply.Error(in.readUTF());
            case 3 -> new Reply.Value(bytes(in));
            case 4 -> new Reply.Names(strings(in));
            case 5 -> new Reply.DirectoryChunk(in.readUTF(), bytes(in));
            case 6 -> new Reply.Perms(perms(in));
            case 7 -> new Reply.TransactionId(in.readLong());
            case 8 -> new Reply.Text(in.readUTF());
            default -> throw new IllegalArgumentException("model snapshot has unknown reply tag " + tag);
        };
    }

    private static void perms(DataOutputStream out, ImmutableList<Perm> perms) throws IOException {
        out.writeInt(perms.size());
        for (Perm p : perms) {
            out.writeByte(p.access().letter());
            out.writeInt(p.domid());
        }
    }

    private static ImmutableList<Perm> perms(DataInputStream in) throws IOException {
        int n = in.readInt();
        ImmutableList.Builder<Perm> b = ImmutableList.builderWithExpectedSize(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            Perm.Access a = Perm.Access.ofLetter((char) in.readByte());
            if (a == null) {
                throw new IllegalArgumentException("model snapshot has a bad permission letter");
            }
            b.add(new Perm(a, in.readInt()));
        }
        return b.build();
    }

    private static void strings(DataOutputStream out, ImmutableList<String> s) throws IOException {
        out.writeInt(s.size());
        for (String x : s) {
            out.writeUTF(x);
        }
    }

    private static ImmutableList<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        ImmutableList.Builder<String> b = ImmutableList.builderWithExpectedSize(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            b.add(in.readUTF());
        }
        return b.build();
    }

    private static void bytes(DataOutputStream out, Bytes b) throws IOException {
        out.writeInt(b.length());
        out.write(b.toArray());
    }

    private static Bytes bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("model snapshot has a bad length " + n);
        }
        byte[] a = new byte[n];
        in.readFully(a);
        return Bytes.of(a);
    }
}
