package ring0.verify;

import ring0.elf.ElfImage;

/**
 * TRUSTED. Where the checker expects the fixed parts of a program image. The
 * layout of the read-write region is {@link ElfImage}'s (this class delegates to it):
 *
 * <pre>
 *   rwOffset + 0        limit word (compared with rsp by every poll)
 *   rwOffset + 8        reserved
 *   rwOffset + 16 + 8i  import slot i
 * </pre>
 *
 * and of the stop block at image offset 0: {@code call [rel stop]} then
 * {@code jmp} back to offset 0.
 */
public final class Layout {
    private Layout() {}

    /** Image offset of the stop block, the target of every poll's {@code jbe}. */
    public static final int STOP_BLOCK = 0;

    /** Length of the stop block: {@code call [rip+d]} (6 bytes) and {@code jmp rel8} (2 bytes). */
    public static final int STOP_BLOCK_SIZE = 8;

    /** Image offset of the limit word. */
    public static int limitOffset(ElfImage image) {
        return image.limitOffset();
    }

    /** Image offset of import slot {@code i}. */
    public static int slotOffset(ElfImage image, int i) {
        return image.slotOffset(i);
    }

    /** The import slot at image offset {@code off}, or -1 if {@code off} is not the start of one. */
    public static int slotAt(ElfImage image, long off) {
        int n = image.imports().size();
        for (int i = 0; i < n; i++) if (slotOffset(image, i) == off) return i;
        return -1;
    }
}
