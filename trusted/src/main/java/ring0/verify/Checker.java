package ring0.verify;

import java.util.ArrayList;
import java.util.List;
import ring0.abi.Service;
import ring0.elf.ElfImage;
import ring0.elf.ElfReader;
import ring0.elf.MalformedElfException;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Insn;
import ring0.isa.Mem;

/**
 * TRUSTED. The type checker: the one entry point that decides whether a ring0
 * program may run (docs/types.md). It reads the {@code .ring0.types} section,
 * checks the stop block, the labels and the data labels against the image,
 * checks every region once in image order, and checks that the entry label
 * accepts the initial state. Checking is linear in the size of the program.
 *
 * <p>Nothing but {@link IllTyped} ever escapes: a failure of the checker itself
 * becomes a rejection whose message starts with {@code internal checker error}.
 */
public final class Checker {
    private final ElfImage image;
    private final String file;

    private Checker(ElfImage image, String file) {
        this.image = image;
        this.file = file;
    }

    /**
     * Reads and checks an ELF file.
     *
     * @param name the file's name, for messages
     * @throws IllTyped if the file is not a well-formed ring0 executable or not well typed
     */
    public static Verified check(byte[] elf, String name) throws IllTyped {
        ElfImage image;
        try {
            if (elf == null) throw new MalformedElfException(-1, "no file");
            image = ElfReader.read(elf);
        } catch (MalformedElfException e) {
            throw new IllTyped(new Rejection(name, e.offset(), -1, -1, null, -1, null, "malformed ELF file: " + e.getMessage(), null, null));
        } catch (RuntimeException | StackOverflowError e) {
            throw internal(name, e);
        }
        return check(image, name);
    }

    /**
     * Checks a program image.
     *
     * @param name the file's name, for messages
     * @throws IllTyped if the program is not well typed
     */
    public static Verified check(ElfImage image, String name) throws IllTyped {
        try {
            if (image == null) throw new IllTyped(new Rejection(name, -1, -1, -1, null, -1, null, "no image", null, null));
            return new Checker(image, name).run();
        } catch (RuntimeException | StackOverflowError e) {
            throw internal(name, e);
        }
    }

    private static IllTyped internal(String name, Throwable e) {
        return new IllTyped(new Rejection(name, -1, -1, -1, null, -1, null, "internal checker error: " + e, null, null), e);
    }

    private Verified run() throws IllTyped {
        Program bare = new Program(image, file, null);
        if (image.types() == null) throw bare.whole("not a typed program: no .ring0.types section");
        TypesSection ts;
        try {
            ts = TypesSection.read(image.types());
        } catch (TypesSectionException e) {
            throw bare.inSection(e.offset(), e.getMessage());
        }
        Program prog = new Program(image, file, ts);
        checkImage(prog);
        checkStopBlock(prog);
        checkLabels(prog);
        checkData(prog);
        Region region = new Region(prog);
        for (int i = 0; i < ts.labels().size(); i++) region.check(i);
        int entry = prog.labelAt(image.entryOffset());
        if (entry < 0) throw prog.at(image.entryOffset(), null, 0, "the entry point is not a label", null, null);
        region.checkEntry(entry);

        List<Verified.LabelInfo> labels = new ArrayList<>(ts.labels().size());
        for (int i = 0; i < ts.labels().size(); i++) {
            TypesSection.LabelDecl l = ts.labels().get(i);
            labels.add(new Verified.LabelInfo(l.name(), l.offset(), prog.regionEnd(i) - l.offset(), l.text()));
        }
        List<Verified.DataInfo> data = new ArrayList<>();
        for (TypesSection.DataDecl d : ts.data()) data.add(new Verified.DataInfo(d.name(), d.offset(), d.kind(), d.length()));
        return new Verified(image, region.instructions + 2, labels, data);
    }

    /**
     * The layout of the image, which {@code ElfReader} guarantees for a file but an
     * {@code ElfImage} made otherwise need not follow: .text, then the limit word,
     * the reserved word and the import slots, then .data, none overlapping. Data
     * labels are checked against .data only, so .data must not cover the rest.
     */
    private void checkImage(Program prog) throws IllTyped {
        long text = image.text().length, rw = image.rwOffset();
        if (rw < text || rw % 8 != 0) throw prog.whole("malformed image: the limit word and import slots overlap .text");
        long slotsEnd = rw + ElfImage.CONTROL_WORDS_SIZE + 8L * image.imports().size();
        if (image.dataOffset() < slotsEnd || image.dataOffset() % 8 != 0) {
            throw prog.whole("malformed image: .data overlaps the limit word or the import slots");
        }
        if (image.entryOffset() < 0 || image.entryOffset() >= text) throw prog.whole("malformed image: the entry point is outside .text");
    }

    /** Image offset 0: {@code call [rel stop]} then {@code jmp} back to 0, exactly. */
    private void checkStopBlock(Program prog) throws IllTyped {
        int stop = image.imports().indexOf(Service.STOP);
        if (stop < 0) throw prog.at(0, null, 0, "bad stop block: the program does not import stop", null, null);
        Insn call = new Insn.CallInd(Mem.rip(Layout.slotOffset(image, stop) - 6));
        expect(prog, 0, call, 6);
        expect(prog, 6, new Insn.Jmp(-8, true), 2);
    }

    private void expect(Program prog, int off, Insn want, int length) throws IllTyped {
        Decoded d;
        try {
            d = Decoder.decode(image.text(), off, image.text().length);
        } catch (DecodeException e) {
            throw prog.at(off, null, 0, "bad stop block: cannot decode: " + e.reason(), null, null);
        }
        if (!d.insn().equals(want) || d.length() != length) {
            throw prog.at(off, d.insn(), d.length(), "bad stop block: it must be call [rel stop] then jmp back to it",
                    ring0.isa.Syntax.format(want, image.textVaddr() + off, length), null);
        }
    }

    private void checkLabels(Program prog) throws IllTyped {
        List<TypesSection.LabelDecl> ls = prog.labels();
        if (ls.isEmpty()) throw prog.whole("no labels: the program has no code to check");
        TypesSection.LabelDecl first = ls.getFirst();
        if (first.offset() < Layout.STOP_BLOCK_SIZE) throw prog.inSection(first.at(), "label " + first.name() + " overlaps the stop block");
        if (first.offset() > Layout.STOP_BLOCK_SIZE) {
            throw prog.at(Layout.STOP_BLOCK_SIZE, null, 0, "code before the first label: only the stop block may precede it", null, null);
        }
        for (TypesSection.LabelDecl l : ls) {
            if (l.offset() >= image.text().length) throw prog.inSection(l.at(), "label " + l.name() + " is outside .text");
        }
        for (TypesSection.CoercionDecl c : prog.types.coercions()) {
            if (c.offset() >= image.text().length) throw prog.inSection(c.at(), "coercion outside .text");
        }
    }

    private void checkData(Program prog) throws IllTyped {
        long start = image.dataOffset(), end = start + image.data().length;
        long prevEnd = start;
        for (TypesSection.DataDecl d : prog.types.data()) {
            String n = "data label " + d.name();
            if (d.offset() % 8 != 0) throw prog.inSection(d.at(), n + " is not 8-byte aligned");
            if (d.offset() < start || d.offset() + d.size() > end) throw prog.inSection(d.at(), n + " is not inside .data");
            if (d.offset() < prevEnd) throw prog.inSection(d.at(), n + " overlaps the data label before it");
            prevEnd = d.offset() + d.size();
            if (d.kind() != TypesSection.DataKind.WORD) {
                int p = (int) (d.offset() - start);
                long word = 0;
                for (int i = 7; i >= 0; i--) word = word << 8 | (image.data()[p + i] & 0xff);
                if (word != d.length()) {
                    throw prog.inSection(d.at(), n + ": its length word is " + Long.toUnsignedString(word) + ", but it is declared with length " + d.length());
                }
            }
        }
    }
}
