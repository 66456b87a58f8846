package ring0.conformance;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ring0.asm.Encoder;
import ring0.isa.Insn;

/**
 * Runs GNU as ({@code as --64}) on a batch of Intel-syntax instructions and
 * returns the bytes it produced for each one.
 *
 * <p>Every line gets a label of its own ({@code ins0:}, {@code ins1:}, ...); the
 * per-instruction bytes are cut from {@code .text} at the label addresses read
 * from the object's symbol table, so one instruction encoded at a different
 * length than ours does not shift the comparison of the ones after it.
 */
final class GnuAs {
    private GnuAs() {}

    private static final long TIMEOUT_SECONDS = 120;
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final Pattern DIAGNOSTIC = Pattern.compile("batch\\.s:(\\d+):");

    /** One instruction that we encode differently from GNU as. */
    record Mismatch(int index, Insn insn, String text, byte[] ours, byte[] theirs) {
        @Override
        public String toString() {
            return "#" + index + " " + text + "  (" + insn + ")\n    ours: " + hex(ours) + "\n    as:   " + hex(theirs);
        }
    }

    /** True if {@code as} can be run. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("as", "--version").redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lower-case hex bytes separated by spaces. */
    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /**
     * Encodes every instruction with our {@link Encoder} and with GNU as (one
     * {@code as} run for the whole batch).
     *
     * @return every instruction whose bytes differ, in order
     */
    static List<Mismatch> compare(List<? extends Insn> insns) throws IOException, InterruptedException {
        return compare(insns, Encoder::encode);
    }

    /** As {@link #compare(List)}, with {@code encoder} in place of ours (to test the harness). */
    static List<Mismatch> compare(List<? extends Insn> insns, Function<Insn, byte[]> encoder)
            throws IOException, InterruptedException {
        List<String> lines = insns.stream().map(GasWriter::write).toList();
        List<byte[]> theirs = assemble(lines);
        List<Mismatch> out = new ArrayList<>();
        for (int k = 0; k < insns.size(); k++) {
            byte[] ours = encoder.apply(insns.get(k));
            if (!Arrays.equals(ours, theirs.get(k))) {
                out.add(new Mismatch(k, insns.get(k), lines.get(k), ours, theirs.get(k)));
            }
        }
        return out;
    }

    /**
     * Assembles {@code lines} (Intel syntax, one instruction each) in one
     * {@code as} run.
     *
     * @return the bytes of each line, in order
     * @throws IOException if as fails; the message holds its diagnostics with the offending lines
     */
    static List<byte[]> assemble(List<String> lines) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ring0-gas");
        try {
            Path src = dir.resolve("batch.s");
            Path obj = dir.resolve("batch.o");
            StringBuilder s = new StringBuilder(lines.size() * 40).append(".intel_syntax noprefix\n.text\n");
            for (int k = 0; k < lines.size(); k++) s.append("ins").append(k).append(": ").append(lines.get(k)).append('\n');
            Files.writeString(src, s);
            run(dir, lines, "as", "--64", "-o", obj.toString(), src.toString());
            return split(Files.readAllBytes(obj), lines.size());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    private static void run(Path dir, List<String> lines, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("as.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("as timed out after " + TIMEOUT_SECONDS + " s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !output.isBlank()) {
            StringBuilder msg = new StringBuilder("as failed (exit " + p.exitValue() + "):");
            output.lines().limit(20).forEach(l -> msg.append("\n  ").append(l).append(sourceLine(l, lines)));
            throw new IOException(msg.toString());
        }
    }

    /** For a diagnostic {@code batch.s:N: ...}, the instruction on line N. */
    private static String sourceLine(String diagnostic, List<String> lines) {
        Matcher m = DIAGNOSTIC.matcher(diagnostic);
        if (!m.find()) return "";
        int k = Integer.parseInt(m.group(1)) - 3; // two header lines, 1-based
        return k >= 0 && k < lines.size() ? "   <- " + lines.get(k) : "";
    }

    /** Cuts the .text section of an ELF64 relocatable object at the labels {@code ins0..ins(n-1)}. */
    private static List<byte[]> split(byte[] object, int n) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(elf.getShort(0x3E));
        int names = Math.toIntExact(elf.getLong(Math.toIntExact(shoff + (long) shstrndx * shentsize) + 0x18));
        int text = -1;
        int symtab = -1;
        for (int k = 0; k < shnum; k++) {
            int h = Math.toIntExact(shoff + (long) k * shentsize);
            String name = cString(object, names + elf.getInt(h));
            if (name.equals(".text")) text = k;
            if (name.startsWith(".rela")) throw new IOException("as emitted relocations (" + name + "); the batch is not self-contained");
            if (elf.getInt(h + 4) == 2) symtab = k; // SHT_SYMTAB
        }
        if (text < 0 || symtab < 0) throw new IOException("object has no .text or no symbol table");
        int textHeader = Math.toIntExact(shoff + (long) text * shentsize);
        int textOff = Math.toIntExact(elf.getLong(textHeader + 0x18));
        int textSize = Math.toIntExact(elf.getLong(textHeader + 0x20));

        int symHeader = Math.toIntExact(shoff + (long) symtab * shentsize);
        int symOff = Math.toIntExact(elf.getLong(symHeader + 0x18));
        int symCount = Math.toIntExact(elf.getLong(symHeader + 0x20) / 24);
        int strtab = elf.getInt(symHeader + 0x28);
        int strOff = Math.toIntExact(elf.getLong(Math.toIntExact(shoff + (long) strtab * shentsize) + 0x18));

        long[] start = new long[n + 1];
        Arrays.fill(start, -1);
        start[n] = textSize;
        for (int k = 0; k < symCount; k++) {
            int sym = symOff + k * 24;
            String name = cString(object, strOff + elf.getInt(sym));
            if (!name.startsWith("ins") || Short.toUnsignedInt(elf.getShort(sym + 6)) != text) continue;
            int index = Integer.parseInt(name.substring(3));
            if (index < n) start[index] = elf.getLong(sym + 8);
        }
        List<byte[]> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            if (start[k] < 0 || start[k + 1] < start[k]) throw new IOException("label ins" + k + " missing or out of order");
            out.add(Arrays.copyOfRange(object, textOff + (int) start[k], textOff + (int) start[k + 1]));
        }
        return out;
    }

    private static String cString(byte[] b, int at) {
        int end = at;
        while (b[end] != 0) end++;
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }
}
