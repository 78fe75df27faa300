{#-
  A static template of the theme (mkdocs.yml, theme.static_templates), rendered once into the site: the palette
  options from mkdocs.yml are written here rather than into every page, where they were 0.4 KB a page.
-#}
{%- set options = [] -%}
{%- for option in config.theme.palette -%}
  {%- set _ = options.append({
    "media": option.media | d("", true),
    "scheme": option.scheme | d("default", true) | replace(" ", "-"),
    "primary": option.primary | d("indigo", true) | replace(" ", "-"),
    "accent": option.accent | d("indigo", true) | replace(" ", "-"),
    "toggle": {"name": option.toggle.name, "icon": "pc-icon--" ~ (option.toggle.icon | replace("/", "-"))}
              if option.toggle else none
  }) -%}
{%- endfor -%}

// The palette toggle of Material for MkDocs 9.8.2 (its partials/palette.html), written where this script
// stands in the header from the palette options above, then Material's partials/javascripts/palette.html as
// it is: it applies the palette the reader chose before the page is drawn, so the other one never flashes.
// Material's script bundle finds the toggle as it would its own.
(() => {
  const script = document.currentScript;
  const options = {{ options | tojson }};
  const form = document.createElement("form");
  form.className = "md-header__option";
  form.dataset.mdComponent = "palette";
  options.forEach((option, index) => {
    const input = document.createElement("input");
    input.className = "md-option";
    for (const key of ["media", "scheme", "primary", "accent"]) input.setAttribute(`data-md-color-${key}`, option[key]);
    if (option.toggle) input.setAttribute("aria-label", option.toggle.name);
    else input.setAttribute("aria-hidden", "true");
    Object.assign(input, { type: "radio", name: "__palette", id: `__palette_${index}` });
    form.append(input);
    if (!option.toggle) return;
    const label = document.createElement("label");
    Object.assign(label, { className: "md-header__button md-icon", title: option.toggle.name, hidden: true,
                           htmlFor: `__palette_${(index + 1) % options.length}` });
    const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    icon.setAttribute("class", `pc-icon ${option.toggle.icon}`);
    label.append(icon);
    form.append(label);
  });
  script.before(form);
})();
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
