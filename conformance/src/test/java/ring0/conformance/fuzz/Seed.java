package ring0.conformance.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ring0.asm.ElfWriter;
import ring0.asm.Program;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Insn;

/**
 * A valid, verified program that the fuzzer mutates, with the facts the
 * mutations aim at: where its sections are in the file, its annotation
 * records, and the instructions of its code.
 *
 * @param name    a short name (the example's file name without {@code .tal})
 * @param program the assembled program, to rebuild the file after a structural
 *                change of the annotations
 * @param elf     the executable (with its {@code .ring0.types} section)
 * @param map     where its sections are
 * @param types   its annotation records
 * @param insns   every instruction of {@code .text}, in order
 * @param args    command-line arguments to run it with (after the program path)
 */
record Seed(String name, Program program, byte[] elf, ElfMap map, TypesModel types, List<Instr> insns, List<String> args) {

    /**
     * One instruction of a seed's code.
     *
     * @param offset image offset
     * @param length its length in bytes
     * @param insn   what it decodes to
     */
    record Instr(int offset, int length, Insn insn) {
        int end() { return offset + length; }
    }

    /**
     * Builds a seed from an assembled program and its annotation section.
     *
     * @throws IllegalArgumentException if the code does not decode from label to label
     */
    static Seed of(String name, Program program, byte[] typesSection, List<String> args) {
        byte[] elf = ElfWriter.write(program, typesSection);
        TypesModel types = TypesModel.parse(typesSection);
        return new Seed(name, program, elf, ElfMap.of(elf), types, decode(program.text(), types), List.copyOf(args));
    }

    /** The executable of this program with other annotation records (a structural mutation). */
    byte[] rebuild(TypesModel changed) {
        return ElfWriter.write(program, changed.write());
    }

    /**
     * The executable of this program with other annotation records and other
     * contents of {@code .data} (possibly shorter or longer); data symbols past
     * the new end are dropped or cut, since the writer insists they fit.
     */
    byte[] rebuild(TypesModel changed, byte[] data) {
        int end = program.dataOffset() + data.length;
        List<Program.Symbol> symbols = new ArrayList<>();
        for (Program.Symbol s : program.symbols()) {
            if (s.section() == Program.Section.TEXT) symbols.add(s);
            else if (s.imageOffset() < end) symbols.add(new Program.Symbol(s.name(), s.section(), s.imageOffset(), Math.min(s.size(), end - s.imageOffset())));
        }
        Program p = new Program(program.sourceName(), program.text(), program.rwOffset(), program.imports(), program.dataOffset(),
                data, symbols, program.entryOffset(), program.annotations(), program.types());
        return ElfWriter.write(p, changed.write());
    }

    /** File offset of {@code .text} (image offset 0). */
    int textStart() { return map.section(".text").start(); }

    /** Length of {@code .text}. */
    int textLength() { return map.section(".text").length(); }

    /**
     * The program's own instructions: all but the stop block and the two
     * instructions of each label's poll (which have their own kind of edit).
     */
    List<Instr> body() {
        return select(false);
    }

    /** The instructions of the stop block and of every label's poll. */
    List<Instr> pollsAndStop() {
        return select(true);
    }

    private List<Instr> select(boolean polls) {
        int[] labels = labelOffsets();
        List<Instr> r = new ArrayList<>();
        for (int i = 0; i < insns.size(); i++) {
            int at = insns.get(i).offset();
            boolean poll = at < 8 || Arrays.binarySearch(labels, at) >= 0
                    || i > 0 && Arrays.binarySearch(labels, insns.get(i - 1).offset()) >= 0;
            if (poll == polls) r.add(insns.get(i));
        }
        return r;
    }

    /** Image offsets where labels start, in order. */
    int[] labelOffsets() { return types.labels.stream().mapToInt(TypesModel.Label::offset).toArray(); }

    /** Decodes the stop block and every label's region, instruction by instruction. */
    private static List<Instr> decode(byte[] text, TypesModel types) {
        List<Instr> r = new ArrayList<>();
        List<Integer> starts = new ArrayList<>(List.of(0));
        types.labels.forEach(l -> starts.add(l.offset()));
        starts.add(text.length);
        for (int i = 0; i + 1 < starts.size(); i++) {
            int at = starts.get(i), end = starts.get(i + 1);
            while (at < end) {
                try {
                    Decoded d = Decoder.decode(text, at, end);
                    r.add(new Instr(at, d.length(), d.insn()));
                    at += d.length();
                } catch (DecodeException e) {
                    throw new IllegalArgumentException("seed code does not decode at image offset 0x" + Integer.toHexString(at), e);
                }
            }
        }
        return List.copyOf(r);
    }
}
