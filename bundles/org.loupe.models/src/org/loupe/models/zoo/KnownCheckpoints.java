package org.loupe.models.zoo;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loupe.core.model.ConfigValue.Origin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * torchvision's published weight files, recognised by their names ({@code <model>-<hash>.pth}, as
 * {@code torch.hub} stores them: {@code vit_b_16-c867db91.pth}, {@code googlenet-1378be20.pth}), and
 * the configuration the weights were trained with, from torchvision's weight tables: architecture,
 * attention heads, input and crop size, resize, normalisation, {@code transform_input}, labels.
 * What the name does not fix (a file renamed) the architectures guess from the tensor shapes.
 *
 * @since 0.1
 */
public final class KnownCheckpoints {

    private KnownCheckpoints() {
    }

    /**
     * One published configuration.
     *
     * @param file          the torchvision file name without hash ({@code vit_b_16}, {@code vit_h_14_swag})
     * @param hash          the hash prefix of the one file it applies to, or null for every file of that name
     * @param weights       torchvision's name for the weights ({@code ViT_B_16_Weights.IMAGENET1K_V1})
     * @param architecture  Loupe's architecture id
     * @param heads         attention heads (ViT), 0 for a CNN
     * @param crop          input (crop) size
     * @param resize        the shorter side before the crop
     * @param interpolation torchvision's interpolation for these weights
     * @param transformInput GoogLeNet's {@code transform_input}
     */
    public record Known(String file, String hash, String weights, String architecture, int heads, int crop, int resize,
            String interpolation, boolean transformInput) {
    }

    /** The table (documented in the user guide, "Known checkpoints"). */
    public static final List<Known> TABLE = List.of(
            new Known("vit_b_16", null, "ViT_B_16_Weights.IMAGENET1K_V1", "vit-b-16", 12, 224, 256, "bilinear", false),
            new Known("vit_b_16_swag", null, "ViT_B_16_Weights.IMAGENET1K_SWAG_E2E_V1", "vit-b-16", 12, 384, 384, "bicubic", false),
            new Known("vit_b_16_lc_swag", null, "ViT_B_16_Weights.IMAGENET1K_SWAG_LINEAR_V1", "vit-b-16", 12, 224, 224, "bicubic", false),
            new Known("vit_b_32", null, "ViT_B_32_Weights.IMAGENET1K_V1", "vit-b-32", 12, 224, 256, "bilinear", false),
            new Known("vit_l_16", null, "ViT_L_16_Weights.IMAGENET1K_V1", "vit-l-16", 16, 224, 242, "bilinear", false),
            new Known("vit_l_16_swag", null, "ViT_L_16_Weights.IMAGENET1K_SWAG_E2E_V1", "vit-l-16", 16, 512, 512, "bicubic", false),
            new Known("vit_l_16_lc_swag", null, "ViT_L_16_Weights.IMAGENET1K_SWAG_LINEAR_V1", "vit-l-16", 16, 224, 224, "bicubic", false),
            new Known("vit_l_32", null, "ViT_L_32_Weights.IMAGENET1K_V1", "vit-l-32", 16, 224, 256, "bilinear", false),
            new Known("vit_h_14_swag", null, "ViT_H_14_Weights.IMAGENET1K_SWAG_E2E_V1", "vit-h-14", 16, 518, 518, "bicubic", false),
            new Known("vit_h_14_lc_swag", null, "ViT_H_14_Weights.IMAGENET1K_SWAG_LINEAR_V1", "vit-h-14", 16, 224, 224, "bicubic", false),
            new Known("googlenet", null, "GoogLeNet_Weights.IMAGENET1K_V1", "googlenet", 0, 224, 256, "bilinear", true),
            new Known("resnet18", null, "ResNet18_Weights.IMAGENET1K_V1", "resnet18", 0, 224, 256, "bilinear", false),
            new Known("resnet34", null, "ResNet34_Weights.IMAGENET1K_V1", "resnet34", 0, 224, 256, "bilinear", false),
            new Known("resnet50", "11ad3fa6", "ResNet50_Weights.IMAGENET1K_V2", "resnet50", 0, 224, 232, "bilinear", false),
            new Known("resnet50", null, "ResNet50_Weights.IMAGENET1K_V1", "resnet50", 0, 224, 256, "bilinear", false),
            new Known("resnet101", "cd907fc2", "ResNet101_Weights.IMAGENET1K_V2", "resnet101", 0, 224, 232, "bilinear", false),
            new Known("resnet101", null, "ResNet101_Weights.IMAGENET1K_V1", "resnet101", 0, 224, 256, "bilinear", false),
            new Known("resnet152", "f82ba261", "ResNet152_Weights.IMAGENET1K_V2", "resnet152", 0, 224, 232, "bilinear", false),
            new Known("resnet152", null, "ResNet152_Weights.IMAGENET1K_V1", "resnet152", 0, 224, 256, "bilinear", false),
            new Known("convnext_tiny", null, "ConvNeXt_Tiny_Weights.IMAGENET1K_V1", "convnext-tiny", 0, 224, 236, "bilinear", false),
            new Known("convnext_small", null, "ConvNeXt_Small_Weights.IMAGENET1K_V1", "convnext-small", 0, 224, 230, "bilinear", false),
            new Known("convnext_base", null, "ConvNeXt_Base_Weights.IMAGENET1K_V1", "convnext-base", 0, 224, 232, "bilinear", false),
            new Known("convnext_large", null, "ConvNeXt_Large_Weights.IMAGENET1K_V1", "convnext-large", 0, 224, 232, "bilinear", false));

    private static final Pattern NAME = Pattern.compile("([a-z0-9_]+)-([0-9a-f]{8,})\\.(pth|pt|safetensors)");

    /** The published configuration a file called {@code fileName} has, if torchvision publishes one under that name. */
    public static Optional<Known> of(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        String file = m.group(1);
        String hash = m.group(2);
        return TABLE.stream().filter(k -> k.file().equals(file) && (k.hash() == null || hash.startsWith(k.hash()))).findFirst();
    }

    /** The sidecar fields of {@code fileName}'s published configuration, as a layer under the sidecar, if it is one. */
    static Optional<ConfigLayer> layer(String fileName) {
        return of(fileName).map(k -> {
            JsonObject o = new JsonObject();
            o.addProperty("architecture", k.architecture());
            if (k.heads() > 0) {
                o.addProperty("heads", k.heads());
            }
            if (k.architecture().equals("googlenet")) {
                o.addProperty("transform_input", k.transformInput());
            }
            o.addProperty("labels", "imagenet");
            o.addProperty("interpolation", k.interpolation());
            JsonObject in = new JsonObject();
            in.addProperty("height", k.crop());
            in.addProperty("width", k.crop());
            in.add("mean", array(0.485f, 0.456f, 0.406f));
            in.add("std", array(0.229f, 0.224f, 0.225f));
            in.addProperty("resize", k.resize());
            o.add("input", in);
            return ConfigLayer.of(o, Origin.FILE, "file name " + fileName + ": torchvision's " + k.weights());
        });
    }

    private static JsonArray array(float... v) {
        JsonArray a = new JsonArray();
        for (float f : v) {
            a.add(f);
        }
        return a;
    }
}
