package ring0.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import ring0.abi.Service;
import ring0.elf.ElfImage;
import ring0.elf.ElfReader;
import ring0.elf.MalformedElfException;

/** {@code ring0 disasm}: lists the code of a ring0 executable as the trusted decoder sees it. */
@Command(
        name = "disasm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "List the code of a ring0 executable as the trusted decoder sees it.",
        description = {
            "%nValidates FILE with ring0's strict ELF reader, then decodes .text with ring0's strict "
                + "decoder (the one the type checker trusts): labels, addresses, bytes and instructions, "
                + "with branch targets and RIP-relative references named in '; <label+0x..>' comments. "
                + "Bytes the decoder rejects show as '(bad: reason)' and listing resumes at the next byte.",
            "%nThen lists the Linux entry stub (.ring0.stub): untrusted code outside the typed "
                + "program that the ring0 kernel never runs; its syscall / int 0x80 instructions "
                + "show as bad by design.",
            "%nFails with status 1 if FILE is malformed or its .text has undecodable bytes.",
        })
final class DisasmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "an executable written by 'ring0 as'")
    Path file;

    @Option(names = "--no-stub", description = "list only the typed program code, not the Linux entry stub")
    boolean noStub;

    @Override
    public Integer call() throws CliException {
        byte[] bytes = FileIo.readBytes(file);
        ElfImage image;
        try {
            image = ElfReader.read(bytes);
        } catch (MalformedElfException e) {
            throw CliException.rejected(file + ": not a valid ring0 executable: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Labels labels = Labels.of(image);
        Optional<StubSection.Stub> stub = noStub ? Optional.empty() : StubSection.find(bytes);
        stub.ifPresent(s -> s.labels().forEach(labels::add));

        printSummary(out, image, labels);
        long text = image.textVaddr();
        out.printf("%nDisassembly of section .text (typed program code, %d bytes at 0x%x, decoded by the trusted decoder):%n",
                image.text().length, text);
        int bad = new Listing(out, labels, labelTypes(image, out)).list(image.text(), text);
        stub.ifPresent(s -> {
            out.printf("%nDisassembly of section %s (%d bytes at 0x%x):%n", StubSection.NAME, s.code().length, s.address());
            out.println("; UNTRUSTED Linux entry stub: not part of the typed program, not type-checked, and never");
            out.println("; run by the ring0 kernel. It talks to Linux with syscall / int 0x80, which the ring0");
            out.println("; decoder rejects by design, so those instructions show as (bad: ...).");
            new Listing(out, labels).list(s.code(), s.address());
        });
        out.flush();
        if (bad > 0) {
            throw CliException.rejected(file + ": .text contains " + bad + " undecodable "
                    + (bad == 1 ? "instruction" : "instructions") + " (shown as (bad: ...) above)");
        }
        return ExitCode.OK;
    }

    private void printSummary(PrintWriter out, ElfImage image, Labels labels) {
        long entry = image.textVaddr() + image.entryOffset();
        String entryName = labels.describe(entry);
        out.printf("%s: ring0 executable, entry %s0x%x%n", file, entryName == null ? "" : entryName + " at ", entry);
        String imports = image.imports().stream().map(Service::importName).collect(Collectors.joining(", "));
        out.printf("imports: %s%n", imports.isEmpty() ? "(none)" : imports);
        out.printf(".text 0x%x (%d bytes), read-write region 0x%x (control words, %d import slots), .data 0x%x (%d bytes)%n",
                image.textVaddr(), image.text().length, image.textVaddr() + image.rwOffset(), image.imports().size(),
                image.textVaddr() + image.dataOffset(), image.data().length);
    }

    /**
     * The precondition of each typed label, by address, as written in
     * {@code .ring0.types} (read strictly; nothing is shown for a malformed section,
     * whose problem {@code ring0 check} reports).
     */
    private static java.util.Map<Long, String> labelTypes(ElfImage image, PrintWriter out) {
        java.util.Map<Long, String> types = new java.util.HashMap<>();
        if (image.types() == null) return types;
        try {
            for (ring0.verify.TypesSection.LabelDecl l : ring0.verify.TypesSection.read(image.types()).labels()) {
                types.put(image.textVaddr() + l.offset(), l.text().strip().startsWith("{") ? l.text().strip() : "{" + l.text() + "}");
            }
        } catch (ring0.verify.TypesSectionException e) {
            out.println("(the .ring0.types section is malformed: " + e.getMessage() + "; see ring0 check)");
        }
        return types;
    }
}
