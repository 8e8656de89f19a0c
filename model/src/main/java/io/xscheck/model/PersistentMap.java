package io.xscheck.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable hash map with structural sharing (a hash array mapped trie): {@link #with} and
 * {@link #without} copy only the O(log32 n) nodes on the way to the key, so a transaction's snapshot
 * of a large tree costs one reference, and every write costs a few small arrays instead of a copy of
 * the whole map (which a Guava {@code ImmutableMap} rebuilt per write would cost).
 */
public final class PersistentMap<K, V> {

    private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(null, 0);

    private final Trie root;
    private final int size;

    private PersistentMap(Trie root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public V get(K key) {
        return root == null ? null : (V) root.find(key, spread(key.hashCode()), 0);
    }

    public boolean containsKey(K key) {
        return get(key) != null;
    }

    public PersistentMap<K, V> with(K key, V value) {
        Objects.requireNonNull(value, "value");
        int[] added = new int[1];
        Trie start = root == null ? Bitmap.EMPTY : root;
        Trie next = start.put(key, value, spread(key.hashCode()), 0, added);
        return next == root ? this : new PersistentMap<>(next, size + added[0]);
    }

    public PersistentMap<K, V> without(K key) {
        if (root == null) {
            return this;
        }
        Trie next = root.remove(key, spread(key.hashCode()), 0);
        if (next == root) {
            return this;
        }
        return new PersistentMap<>(next, size - 1);
    }

    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        if (root != null) {
            root.each((BiConsumer<Object, Object>) action);
        }
    }

    public List<Map.Entry<K, V>> entries() {
        List<Map.Entry<K, V>> out = new ArrayList<>(size);
        forEach((k, v) -> out.add(Map.entry(k, v)));
        return out;
    }

    /** Same keys and equal values; cheap when the two share structure. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PersistentMap<?, ?> other) || other.size != size) {
            return false;
        }
        boolean[] same = {true};
        @SuppressWarnings("unchecked")
        PersistentMap<Object, Object> them = (PersistentMap<Object, Object>) other;
        forEach((k, v) -> {
            if (same[0] && !v.equals(them.get(k))) {
                same[0] = false;
            }
        });
        return same[0];
    }

    @Override
    public int hashCode() {
        int[] h = {0};
        forEach((k, v) -> h[0] += k.hashCode() ^ v.hashCode());
        return h[0];
    }

    @Override
    public String toString() {
        return "PersistentMap(" + size + " entries)";
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private abstract static class Trie {
        abstract Object find(Object key, int hash, int shift);

        abstract Trie put(Object key, Object value, int hash, int shift, int[] added);

        /** Returns {@code this} when the key is absent, {@code null} when the trie becomes empty. */
        abstract Trie remove(Object key, int hash, int shift);

        abstract void each(BiConsumer<Object, Object> action);
    }

    /** Up to 32 slots selected by 5 bits of the hash; a slot holds a key/value pair or a sub-trie. */
    private static final class Bitmap extends Trie {
        static final Bitmap EMPTY = new Bitmap(0, new Object[0]);

        final int bitmap;
        final Object[] slots; // pairs: key (or null for a sub-trie), value (or Trie)

        Bitmap(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }

        private int index(int bit) {
            return Integer.bitCount(bitmap & (bit - 1));
        }

        @Override
        Object find(Object key, int hash, int shift) {
            int bit = 1 << ((hash >>> shift) & 31);
            if ((bitmap & bit) == 0) {
                return null;
            }
            int i = 2 * index(bit);
            Object k = slots[i];
            if (k == null) {
                return ((Trie) slots[i + 1]).find(key, hash, shift + 5);
            }
            return key.equals(k) ? slots[i + 1] : null;
        }

        @Override
        Trie put(Object key, Object value, int hash, int shift, int[] added) {
            int bit = 1 << ((hash >>> shift) & 31);
            int i = 2 * index(bit);
            if ((bitmap & bit) == 0) {
                Object[] copy = new Object[slots.length + 2];
                System.arraycopy(slots, 0, copy, 0, i);
                copy[i] = key;
                copy[i + 1] = value;
                System.arraycopy(slots, i, copy, i + 2, slots.length - i);
                added[0] = 1;
                return new Bitmap(bitmap | bit, copy);
            }
            Object k = slots[i];
            Object v = slots[i + 1];
            Trie replacement;
            if (k == null) {
                Trie sub = ((Trie) v).put(key, value, hash, shift + 5, added);
                if (sub == v) {
                    return this;
                }
                return withSlot(i, null, sub);
            }
            if (key.equals(k)) {
                if (value == v) {
                    return this;
                }
                return withSlot(i, k, value);
            }
            replacement = pair(k, v, key, value, hash, shift + 5);
            added[0] = 1;
            return withSlot(i, null, replacement);
        }

        private Bitmap withSlot(int i, Object key, Object value) {
            Object[] copy = slots.clone();
            copy[i] = key;
            copy[i + 1] = value;
            return new Bitmap(bitmap, copy);
        }

        private static Trie pair(Object k1, Object v1, Object k2, Object v2, int h2, int shift) {
            int h1 = spread(k1.hashCode());
            if (h1 == h2 || shift >= 32) {
                return new Collision(h2, new Object[] {k1, v1, k2, v2});
            }
            int[] ignored = new int[1];
            return EMPTY.put(k1, v1, h1, shift, ignored).put(k2, v2, h2, shift, ignored);
        }

        @Override
        Trie remove(Object key, int hash, int shift) {
            int bit = 1 << ((hash >>> shift) & 31);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int i = 2 * index(bit);
            Object k = slots[i];
            if (k == null) {
                Trie sub = (Trie) slots[i + 1];
                Trie next = sub.remove(key, hash, shift + 5);
                if (next == sub) {
                    return this;
                }
                if (next != null) {
                    return withSlot(i, null, next);
                }
            } else if (!key.equals(k)) {
                return this;
            }
            if (bitmap == bit) {
                return null;
            }
            Object[] copy = new Object[slots.length - 2];
            System.arraycopy(slots, 0, copy, 0, i);
            System.arraycopy(slots, i + 2, copy, i, slots.length - i - 2);
            return new Bitmap(bitmap & ~bit, copy);
        }

        @Override
        void each(BiConsumer<Object, Object> action) {
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] == null) {
                    ((Trie) slots[i + 1]).each(action);
                } else {
                    action.accept(slots[i], slots[i + 1]);
                }
            }
        }
    }

    /** Keys whose full hashes are equal. */
    private static final class Collision extends Trie {
        final int hash;
        final Object[] pairs;

        Collision(int hash, Object[] pairs) {
            this.hash = hash;
            this.pairs = pairs;
        }

        @Override
        Object find(Object key, int hash, int shift) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (key.equals(pairs[i])) {
                    return pairs[i + 1];
                }
            }
            return null;
        }

        @Override
        Trie put(Object key, Object value, int hash, int shift, int[] added) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (key.equals(pairs[i])) {
                    Object[] copy = pairs.clone();
                    copy[i + 1] = value;
                    return new Collision(this.hash, copy);
                }
            }
            if (hash != this.hash) {
                Bitmap level = new Bitmap(1 << ((this.hash >>> shift) & 31), new Object[] {null, this});
                return level.put(key, value, hash, shift, added);
            }
            Object[] copy = new Object[pairs.length + 2];
            System.arraycopy(pairs, 0, copy, 0, pairs.length);
            copy[pairs.length] = key;
            copy[pairs.length + 1] = value;
            added[0] = 1;
            return new Collision(this.hash, copy);
        }

        @Override
        Trie remove(Object key, int hash, int shift) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (key.equals(pairs[i])) {
                    if (pairs.length == 2) {
                        return null;
                    }
                    Object[] copy = new Object[pairs.length - 2];
                    System.arraycopy(pairs, 0, copy, 0, i);
                    System.arraycopy(pairs, i + 2, copy, i, pairs.length - i - 2);
                    return new Collision(this.hash, copy);
                }
            }
            return this;
        }

        @Override
        void each(BiConsumer<Object, Object> action) {
            for (int i = 0; i < pairs.length; i += 2) {
                action.accept(pairs[i], pairs[i + 1]);
            }
        }
    }
}
