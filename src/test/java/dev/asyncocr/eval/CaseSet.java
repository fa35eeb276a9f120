package dev.asyncocr.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A folder of images with its {@code cases.json}.
 *
 * @param name   how reports name the set: the folder's path relative to the folder it was found under
 * @param folder where the images are
 */
public record CaseSet(String name, Path folder, String source, String licence, List<EvalCase> cases) {

    public static final String CASES_FILE = "cases.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public CaseSet {
        cases = List.copyOf(cases);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record CaseFile(@JsonProperty("source") String source, @JsonProperty("licence") String licence,
                            @JsonProperty("cases") List<EvalCase> cases) {
    }

    /**
     * The case sets in a folder: the folder itself when it holds {@code cases.json}, else every folder
     * below it that does, in path order.
     *
     * @throws CaseSetException when the folder does not exist, holds no case set, or a case set is malformed
     */
    public static List<CaseSet> discover(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new CaseSetException(root + " is not a folder: expected a case set (a folder with "
                    + CASES_FILE + ") or a folder of case sets");
        }
        if (Files.isRegularFile(dir.resolve(CASES_FILE))) {
            return List.of(load(dir, dir.getFileName() == null ? dir.toString() : dir.getFileName().toString()));
        }
        List<Path> folders;
        try (Stream<Path> files = Files.walk(dir)) {
            folders = files.filter(f -> f.getFileName().toString().equals(CASES_FILE) && Files.isRegularFile(f))
                    .map(Path::getParent)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new CaseSetException("cannot list " + root + ": " + e.getMessage(), e);
        }
        if (folders.isEmpty()) {
            throw new CaseSetException("no " + CASES_FILE + " in " + root + " nor in any folder below it");
        }
        List<CaseSet> sets = new ArrayList<>();
        for (Path folder : folders) {
            sets.add(load(folder, dir.relativize(folder).toString().replace('\\', '/')));
        }
        return sets;
    }

    /**
     * Reads {@code folder/cases.json} and checks that every case can be evaluated.
     *
     * @throws CaseSetException naming the file and the case when it cannot be read or is malformed
     */
    public static CaseSet load(Path folder, String name) {
        Path file = folder.resolve(CASES_FILE);
        CaseFile parsed;
        try {
            parsed = MAPPER.readValue(file.toFile(), CaseFile.class);
        } catch (JsonMappingException e) {
            throw new CaseSetException(file + " does not follow the case format: " + e.getOriginalMessage()
                    + " (at " + e.getPathReference() + ")", e);
        } catch (JacksonException e) {
            throw new CaseSetException(file + " is not valid JSON: " + e.getOriginalMessage()
                    + " (at " + e.getLocation() + ")", e);
        } catch (IOException e) {
            throw new CaseSetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (parsed == null || parsed.cases() == null || parsed.cases().isEmpty()) {
            throw new CaseSetException(file + " has no cases: expected {\"source\", \"licence\", \"cases\": [...]}");
        }
        List<EvalCase> cases = parsed.cases();
        for (int i = 0; i < cases.size(); i++) {
            EvalCase c = cases.get(i);
            List<String> problems = c == null ? List.of("the case is null") : c.problems();
            if (!problems.isEmpty()) {
                String which = c == null || c.file() == null ? "#" + i : "#" + i + " (" + c.file() + ")";
                throw new CaseSetException(file + " case " + which + ": " + String.join("; ", problems));
            }
        }
        return new CaseSet(name, folder, parsed.source(), parsed.licence(), cases);
    }
}
