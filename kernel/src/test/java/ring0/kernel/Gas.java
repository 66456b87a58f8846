package ring0.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ring0.kernel.load.ProgramImage;

/**
 * Test-only: builds raw program images with GNU {@code as} (not the ring0
 * assembler, so an assembler bug cannot hide a kernel bug). The source gets
 * the kernel's layout around it: the stop block at offset 0 (importing
 * {@code stop} first), a {@code POLL} macro, then the read-write region at the
 * next page with the limit word, the reserved word and a slot
 * {@code slot_NAME} per import, then the data. The entry label is {@code main}.
 */
final class Gas {
    private Gas() {}

    /** A raw image from {@code text} (Intel syntax) and {@code data}, importing {@code imports} (plus stop). */
    static ProgramImage image(List<String> imports, String text, String data) {
        List<String> all = withStop(imports);
        try {
            return build(source(all, text, data), all);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("gas: " + e.getMessage(), e);
        }
    }

    static List<String> withStop(List<String> imports) {
        List<String> all = new ArrayList<>();
        all.add("stop");
        for (String i : imports) if (!i.equals("stop")) all.add(i);
        return all;
    }

    /** The full source of a raw image: stop block, POLL macro, {@code text}, then the read-write region and {@code data}. */
    static String source(List<String> all, String text, String data) {
        StringBuilder s = new StringBuilder();
        s.append(".intel_syntax noprefix\n.text\n");
        s.append("__stop:\n  call qword ptr [rip + slot_stop]\n  jmp __stop\n");
        s.append(".macro POLL\n  cmp rsp, qword ptr [rip + __limit]\n  jbe __stop\n.endm\n");
        s.append(text).append('\n');
        s.append("__text_end:\n.balign 4096, 0xcc\n__rw:\n__limit: .quad 0\n__reserved: .quad 0\n");
        for (String i : all) s.append("slot_").append(i).append(": .quad 0\n");
        s.append(".balign 16, 0\n__data:\n").append(data).append("\n__data_end:\n");
        return s.toString();
    }

    private static ProgramImage build(String source, List<String> imports) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ring0-gas");
        try {
            Path src = dir.resolve("p.s"), obj = dir.resolve("p.o"), bin = dir.resolve("p.bin");
            Files.writeString(src, source);
            run(dir, "as", "--64", "-o", obj.toString(), src.toString());
            run(dir, "objcopy", "-O", "binary", "-j", ".text", obj.toString(), bin.toString());
            Map<String, Integer> sym = new HashMap<>();
            for (String line : run(dir, "nm", obj.toString()).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) sym.put(f[2], Integer.parseInt(f[0], 16));
            }
            byte[] all = Files.readAllBytes(bin);
            int textEnd = sym.get("__text_end"), rw = sym.get("__rw"), data = sym.get("__data"), dataEnd = sym.get("__data_end");
            return new ProgramImage(Arrays.copyOf(all, textEnd), rw, imports, data,
                    Arrays.copyOfRange(all, data, dataEnd), sym.get("main"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
