package ring0.conformance.cases;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ring0.abi.Service;
import ring0.elf.ElfImage;

/**
 * Builds the program image of a {@link Case} with GNU as, never with ring0's
 * assembler, so that an assembler bug cannot hide a checker bug.
 *
 * <p>The whole image is one GNU as {@code .text} section laid out exactly as
 * the checker expects it (docs/types.md section 7, see {@link CaseSource}):
 * the stop block at offset 0, the case's code, then on the next page the RW
 * region: the limit word, a reserved word, the import slots and, at the next
 * 16-byte boundary, the data. Keeping it in one section lets {@code as} resolve
 * every RIP-relative reference itself, so the object has no relocations and
 * its bytes are the image. The annotation section is written by
 * {@link SectionWriter} from the case, with the case's lies and damage applied.
 */
final class CaseImage {
    private CaseImage() {}

    /** Link-time address of the image, as in ring0's ELF files. */
    static final long TEXT_VADDR = 0x401000;
    /** File offsets reported in the image (where ring0's ELF files put them). */
    static final long TEXT_FILE_OFFSET = 0x1000, TYPES_FILE_OFFSET = 0x8000;

    /**
     * A built case.
     *
     * @param image   the image handed to the checker
     * @param labels  the annotated labels, name to image offset, in source order
     * @param marker  image offset of the instruction marked {@code #<}, or -1
     * @param source  the generated assembler source, for failure messages
     */
    record Built(ElfImage image, Map<String, Integer> labels, int marker, String source) {

        /** The annotated label whose region holds image offset {@code offset}, or null if none does. */
        String labelAt(int offset) {
            String best = null;
            int bestOffset = -1;
            for (Map.Entry<String, Integer> e : labels.entrySet()) {
                if (e.getValue() <= offset && e.getValue() >= bestOffset) {
                    best = e.getKey();
                    bestOffset = e.getValue();
                }
            }
            return best;
        }
    }

    /** A case imports a service that {@code ring0.abi.Service} does not have (yet): the case is pending. */
    static final class MissingService extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingService(String name) {
            super("ring0.abi.Service has no service '" + name + "'");
        }
    }

    /** Assembles {@code c} and builds its image and annotation section. */
    static Built build(Case c, Path workDir) throws IOException, InterruptedException {
        CaseSource src = CaseSource.of(c);
        ObjectFile obj = Gas.assemble(src.text(), workDir);
        byte[] all = obj.text();
        int textEnd = obj.symbol("__text_end");
        int dataOffset = obj.symbol(c.dataAt() != null ? c.dataAt() : "__data");

        List<Service> imports = new ArrayList<>();
        for (String s : src.slots()) {
            Service svc = Service.byName(s);
            if (svc == null) throw new MissingService(s);
            imports.add(svc);
        }
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (CaseSource.LabelText l : src.labels()) labels.put(l.name(), obj.symbol(l.name()));
        byte[] types = SectionRecords.of(c, src, obj).section(c);

        String entryName = c.entry() != null ? c.entry() : labels.keySet().stream().findFirst().orElse("__text_end");
        List<ElfImage.Symbol> symbols = new ArrayList<>();
        labels.forEach((name, at) -> symbols.add(new ElfImage.Symbol(name, at, 0, true)));
        for (Case.DataDecl d : c.data()) symbols.add(new ElfImage.Symbol(d.name(), obj.symbol(d.name()), 8, false));

        ElfImage image = new ElfImage(TEXT_VADDR, Arrays.copyOfRange(all, 0, textEnd), obj.symbol("__limit"), imports,
                dataOffset, Arrays.copyOfRange(all, dataOffset, all.length), obj.symbol(entryName), symbols, types,
                TEXT_FILE_OFFSET, types == null ? -1 : TYPES_FILE_OFFSET);
        return new Built(image, labels, obj.symbols().getOrDefault(CaseSource.MARK, -1), src.text());
    }
}
