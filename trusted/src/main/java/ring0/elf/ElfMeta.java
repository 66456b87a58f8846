package ring0.elf;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import ring0.abi.Service;

/**
 * The parsed {@code .ring0.meta} section (layout in {@code docs/abi.md}):
 * magic {@code RING0\0\0\0}, u16 version {@value #VERSION}, u16 flags 0, u32 entry offset,
 * u32 rwOffset, u32 dataOffset, u16 import count, then each import name as a
 * u8 length and that many ASCII bytes, and nothing after.
 *
 * @param fileOffset file offset of the section, for diagnostics
 */
record ElfMeta(long fileOffset, long entry, long rwOffset, long dataOffset, List<Service> imports) {
    static final int HEADER_SIZE = 26;
    /** The one supported version: 2, the layout with the limit and reserved words before the slots. */
    static final int VERSION = 2;
    private static final byte[] MAGIC = {'R', 'I', 'N', 'G', '0', 0, 0, 0};

    static ElfMeta parse(ElfBytes f, long off, long size) throws MalformedElfException {
        if (size < HEADER_SIZE) throw new MalformedElfException(off, ".ring0.meta is truncated");
        for (int i = 0; i < MAGIC.length; i++) {
            if (f.u8(off + i) != MAGIC[i]) throw new MalformedElfException(off, ".ring0.meta has bad magic");
        }
        if (f.u16(off + 8) != VERSION) throw new MalformedElfException(off + 8, ".ring0.meta version " + f.u16(off + 8) + " is not supported");
        if (f.u16(off + 10) != 0) throw new MalformedElfException(off + 10, ".ring0.meta flags must be zero");
        long entry = f.u32(off + 12), rw = f.u32(off + 16), data = f.u32(off + 20);
        int count = f.u16(off + 24);
        long p = off + HEADER_SIZE, end = off + size;
        List<Service> imports = new ArrayList<>(count);
        Set<Service> seen = EnumSet.noneOf(Service.class);
        for (int i = 0; i < count; i++) {
            if (p >= end) throw new MalformedElfException(p, ".ring0.meta is truncated in import " + i);
            int len = f.u8(p);
            if (len == 0 || len > end - p - 1) throw new MalformedElfException(p, ".ring0.meta import " + i + " has a bad name length");
            StringBuilder name = new StringBuilder();
            for (int k = 1; k <= len; k++) {
                int c = f.u8(p + k);
                if (c < 0x21 || c > 0x7e) throw new MalformedElfException(p + k, ".ring0.meta import " + i + " name is not printable ASCII");
                name.append((char) c);
            }
            Service s = Service.byName(name.toString());
            if (s == null) throw new MalformedElfException(p, "unknown import " + name);
            if (!seen.add(s)) throw new MalformedElfException(p, "duplicate import " + name);
            imports.add(s);
            p += 1 + len;
        }
        if (p != end) throw new MalformedElfException(p, ".ring0.meta has trailing bytes");
        return new ElfMeta(off, entry, rw, data, imports);
    }
}
