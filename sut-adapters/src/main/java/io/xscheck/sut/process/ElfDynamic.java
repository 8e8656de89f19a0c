package io.xscheck.sut.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a 64-bit little-endian ELF file (an x86-64 executable or shared library) says about its
 * dynamic linking: the libraries it needs (DT_NEEDED), the symbols it imports from them and the
 * symbols it defines. Read from the section headers (.dynsym, .dynamic and their string tables),
 * which strip and patchelf both keep. Enough to tell which Xen library version a daemon was built
 * against and which hypervisor calls it makes, without binutils.
 *
 * @param needed the DT_NEEDED entries, in order, e.g. {@code libxenctrl.so.4.17}
 * @param imported undefined dynamic symbols, e.g. {@code xc_domain_getinfo}
 * @param exported defined global or weak dynamic symbols
 */
public record ElfDynamic(List<String> needed, SortedSet<String> imported, SortedSet<String> exported) {

    private static final int SHT_DYNSYM = 11;
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_STRTAB = 3;
    private static final long DT_NEEDED = 1;
    private static final int STB_GLOBAL = 1;
    private static final int STB_WEAK = 2;
    /** Daemons are a few MB; a larger file is not one of ours. */
    private static final long MAX_SIZE = 256L << 20;

    public ElfDynamic {
        needed = List.copyOf(needed);
        imported = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(imported));
        exported = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(exported));
    }

    /** Reads {@code file}; an {@link IOException} when it is not a 64-bit little-endian ELF file. */
    public static ElfDynamic read(Path file) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > MAX_SIZE) {
                throw new IOException(file + " is larger than " + MAX_SIZE + " bytes");
            }
            b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read it all
            }
            b.flip();
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        if (b.limit() < 64 || b.getInt(0) != 0x464C457F || b.get(4) != 2 || b.get(5) != 1) {
            throw new IOException(file + " is not a 64-bit little-endian ELF file");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        int shnum = Short.toUnsignedInt(b.getShort(0x3C));
        List<String> needed = new ArrayList<>();
        SortedSet<String> imported = new TreeSet<>();
        SortedSet<String> exported = new TreeSet<>();
        for (int i = 0; i < shnum; i++) {
            Section s = section(b, shoff, shentsize, i);
            if (s.type == SHT_DYNSYM) {
                Section strtab = section(b, shoff, shentsize, s.link);
                for (long off = s.offset; off + 24 <= s.offset + s.size; off += 24) {
                    int pos = Math.toIntExact(off);
                    String name = string(b, strtab, Integer.toUnsignedLong(b.getInt(pos)));
                    int binding = Byte.toUnsignedInt(b.get(pos + 4)) >> 4;
                    int shndx = Short.toUnsignedInt(b.getShort(pos + 6));
                    if (name.isEmpty()) {
                        continue;
                    }
                    if (shndx == 0) {
                        imported.add(name);
                    } else if (binding == STB_GLOBAL || binding == STB_WEAK) {
                        exported.add(name);
                    }
                }
            } else if (s.type == SHT_DYNAMIC) {
                Section strtab = section(b, shoff, shentsize, s.link);
                for (long off = s.offset; off + 16 <= s.offset + s.size; off += 16) {
                    long tag = b.getLong(Math.toIntExact(off));
                    if (tag == 0) {
                        break;
                    }
                    if (tag == DT_NEEDED) {
                        needed.add(string(b, strtab, b.getLong(Math.toIntExact(off + 8))));
                    }
                }
            }
        }
        return new ElfDynamic(needed, imported, exported);
    }

    private record Section(int type, long offset, long size, int link) {
    }

    private static Section section(ByteBuffer b, long shoff, int shentsize, int index) throws IOException {
        long at = shoff + (long) index * shentsize;
        if (at < 0 || at + 64 > b.limit()) {
            throw new IOException("section header " + index + " lies outside the file");
        }
        int pos = (int) at;
        Section s = new Section(b.getInt(pos + 4), b.getLong(pos + 0x18), b.getLong(pos + 0x20), b.getInt(pos + 0x28));
        // .bss and other NOBITS sections have a size but no bytes: only the ones read must fit.
        boolean read = s.type == SHT_DYNSYM || s.type == SHT_DYNAMIC || s.type == SHT_STRTAB;
        if (read && (s.offset < 0 || s.size < 0 || s.offset + s.size > b.limit())) {
            throw new IOException("section " + index + " lies outside the file");
        }
        return s;
    }

    private static String string(ByteBuffer b, Section strtab, long index) throws IOException {
        if (index < 0 || index >= strtab.size) {
            throw new IOException("string index " + index + " outside its table");
        }
        int start = Math.toIntExact(strtab.offset + index);
        int end = start;
        int limit = Math.toIntExact(strtab.offset + strtab.size);
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        b.get(start, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
