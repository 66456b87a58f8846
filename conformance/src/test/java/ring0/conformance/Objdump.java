package ring0.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs GNU objdump on raw x86-64 code and parses its listing:
 * {@code objdump -D -z -b binary -m i386:x86-64 -M intel FILE}.
 * Addresses in the listing are offsets in the file.
 */
final class Objdump {
    private Objdump() {}

    /**
     * One instruction of the listing.
     *
     * @param offset offset of its first byte
     * @param length number of bytes (counted from the hex column, which wraps for long instructions)
     * @param text   objdump's text, e.g. {@code mov    rax,QWORD PTR [rip+0x10]        # 0x1017}
     */
    record Line(long offset, int length, String text) {}

    /** Disassembles {@code code} as one raw blob starting at address 0. */
    static List<Line> disassemble(byte[] code) throws IOException, InterruptedException {
        Path file = Files.createTempFile("ring0-objdump", ".bin");
        try {
            Files.write(file, code);
            Process p = new ProcessBuilder("objdump", "-D", "-z", "-b", "binary", "-m", "i386:x86-64", "-M", "intel",
                    file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
            List<Line> lines;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                lines = parse(r);
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("objdump timed out");
            }
            if (p.exitValue() != 0) throw new IOException("objdump exited with " + p.exitValue());
            return lines;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Parses listing lines {@code "  1e:\t48 83 c0 ff          \tadd    rax,0xff..."}; a line
     * without the text column continues the bytes of the previous instruction.
     */
    static List<Line> parse(BufferedReader r) throws IOException {
        List<Line> out = new ArrayList<>();
        long offset = -1;
        int length = 0;
        String text = null;
        for (String s; (s = r.readLine()) != null; ) {
            String[] cols = s.split("\t", 3);
            if (cols.length < 2 || !cols[0].endsWith(":")) continue;
            long at;
            try {
                at = Long.parseLong(cols[0].strip().replace(":", ""), 16);
            } catch (NumberFormatException e) {
                continue;
            }
            int n = cols[1].isBlank() ? 0 : cols[1].strip().split(" +").length;
            if (cols.length == 3) {
                if (text != null) out.add(new Line(offset, length, text));
                offset = at;
                length = n;
                text = cols[2];
            } else if (text != null) {
                length += n;
            }
        }
        if (text != null) out.add(new Line(offset, length, text));
        return out;
    }
}
