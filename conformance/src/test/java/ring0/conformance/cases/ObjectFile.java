package ring0.conformance.cases;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two things the case builder needs from a GNU as relocatable object:
 * the bytes of {@code .text} and the values of the symbols defined in it.
 * The object must be self-contained (no relocations), which holds because
 * every case keeps code, slots and data in the one {@code .text} section.
 *
 * @param text    contents of {@code .text}
 * @param symbols every symbol defined in {@code .text}, name to offset
 */
record ObjectFile(byte[] text, Map<String, Integer> symbols) {

    private static final int SHT_SYMTAB = 2, SHT_RELA = 4, SHT_REL = 9;

    /** Reads {@code object}, an ELF64 little-endian relocatable file. */
    static ObjectFile read(byte[] object) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN);
        if (object.length < 64 || elf.getInt(0) != 0x464c457f) throw new IOException("not an ELF object");
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(elf.getShort(0x3E));
        int names = offset(elf, header(shoff, shstrndx, shentsize));
        int text = -1, symtab = -1;
        for (int k = 0; k < shnum; k++) {
            int h = header(shoff, k, shentsize);
            String name = cString(object, names + elf.getInt(h));
            int type = elf.getInt(h + 4);
            if (name.equals(".text")) text = k;
            if (type == SHT_RELA || type == SHT_REL) {
                throw new IOException("as emitted relocations (" + name + "): a symbol is undefined or in another section");
            }
            if (type == SHT_SYMTAB) symtab = k;
        }
        if (text < 0 || symtab < 0) throw new IOException("object has no .text or no symbol table");
        int textHeader = header(shoff, text, shentsize);
        int textOff = offset(elf, textHeader);
        int textSize = Math.toIntExact(elf.getLong(textHeader + 0x20));
        byte[] bytes = Arrays.copyOfRange(object, textOff, textOff + textSize);

        int symHeader = header(shoff, symtab, shentsize);
        int symOff = offset(elf, symHeader);
        int count = Math.toIntExact(elf.getLong(symHeader + 0x20) / 24);
        int strOff = offset(elf, header(shoff, elf.getInt(symHeader + 0x28), shentsize));
        Map<String, Integer> symbols = new LinkedHashMap<>();
        for (int k = 0; k < count; k++) {
            int sym = symOff + k * 24;
            int section = Short.toUnsignedInt(elf.getShort(sym + 6));
            int info = object[sym + 4] & 0xff;
            if (section != text || (info & 0xf) == 3) continue; // other sections, STT_SECTION
            String name = cString(object, strOff + elf.getInt(sym));
            if (!name.isEmpty()) symbols.put(name, Math.toIntExact(elf.getLong(sym + 8)));
        }
        return new ObjectFile(bytes, symbols);
    }

    /** The value of {@code name}; fails loudly if the case does not define it. */
    int symbol(String name) {
        Integer v = symbols.get(name);
        if (v == null) throw new IllegalArgumentException("symbol not defined in the case: " + name);
        return v;
    }

    private static int header(long shoff, int index, int entsize) {
        return Math.toIntExact(shoff + (long) index * entsize);
    }

    private static int offset(ByteBuffer elf, int header) {
        return Math.toIntExact(elf.getLong(header + 0x18));
    }

    private static String cString(byte[] b, int at) {
        int end = at;
        while (b[end] != 0) end++;
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }
}
