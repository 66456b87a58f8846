package ring0.verify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ring0.elf.ElfImage;
import ring0.isa.Insn;
import ring0.isa.Syntax;

/**
 * What the checker knows about the whole program while it checks regions: the
 * image, the parsed types section, lookups from image offsets to labels, and
 * the construction of rejections with their locations.
 */
final class Program {
    final ElfImage image;
    final String file;
    final byte[] text;
    final TypesSection types;
    final TypeEnv env;
    /** The image offsets of the labels, increasing. */
    private final int[] labelOffsets;
    private final Map<Integer, TypesSection.DataDecl> dataAt = new HashMap<>();

    Program(ElfImage image, String file, TypesSection types) {
        this.image = image;
        this.file = file;
        this.text = image.text();
        this.types = types;
        this.env = types == null ? TypeEnv.EMPTY : types.env();
        List<TypesSection.LabelDecl> ls = types == null ? List.of() : types.labels();
        this.labelOffsets = new int[ls.size()];
        for (int i = 0; i < labelOffsets.length; i++) labelOffsets[i] = ls.get(i).offset();
        if (types != null) {
            for (TypesSection.DataDecl d : types.data()) dataAt.put(d.offset(), d);
        }
    }

    List<TypesSection.LabelDecl> labels() {
        return types.labels();
    }

    /** The index of the label starting at image offset {@code off}, or -1. */
    int labelAt(long off) {
        if (off < 0 || off >= text.length) return -1;
        int i = java.util.Arrays.binarySearch(labelOffsets, (int) off);
        return i >= 0 ? i : -1;
    }

    /** The data label starting at image offset {@code off}, or null. */
    TypesSection.DataDecl dataAt(long off) {
        if (off < 0 || off > Integer.MAX_VALUE) return null;
        return dataAt.get((int) off);
    }

    /** End of the region of label {@code i}. */
    int regionEnd(int i) {
        return i + 1 < labels().size() ? labels().get(i + 1).offset() : text.length;
    }

    // ------------------------------------------------------------------ rejections

    /** A rejection at an instruction (or, with {@code insn == null}, at an image offset in .text). */
    IllTyped at(int imageOffset, Insn insn, int length, String message, String expected, String found) {
        String label = null;
        int labelOffset = -1;
        if (types != null) {
            int li = lastLabelAtOrBefore(imageOffset);
            if (li >= 0) {
                label = labels().get(li).name();
                labelOffset = imageOffset - labels().get(li).offset();
            }
        }
        String shown = null;
        if (insn != null) {
            try {
                shown = Syntax.format(insn, image.textVaddr() + imageOffset, length);
            } catch (RuntimeException e) {
                shown = insn.toString();
            }
        }
        return new IllTyped(new Rejection(file, image.textFileOffset() + imageOffset, image.textVaddr() + imageOffset,
                imageOffset, label, labelOffset, shown, message, expected, found));
    }

    /** A rejection at an offset of the {@code .ring0.types} section. */
    IllTyped inSection(int sectionOffset, String message) {
        long fo = image.typesFileOffset() >= 0 ? image.typesFileOffset() + sectionOffset : -1;
        return new IllTyped(new Rejection(file, fo, -1, -1, null, -1, null, message, null, null));
    }

    /** A rejection of the file as a whole. */
    IllTyped whole(String message) {
        return new IllTyped(new Rejection(file, -1, -1, -1, null, -1, null, message, null, null));
    }

    private int lastLabelAtOrBefore(int off) {
        List<TypesSection.LabelDecl> ls = labels();
        int lo = 0, hi = ls.size() - 1, r = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ls.get(mid).offset() <= off) {
                r = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return r;
    }
}
