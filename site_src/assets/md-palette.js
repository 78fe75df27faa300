// The palette toggle of Material for MkDocs 9.8.2 (its partials/palette.html), written where this script
// stands in the header from the options templates/theme/partials/palette.html gives it, then Material's
// partials/javascripts/palette.html as it is: it applies the palette the reader chose before the page is
// drawn, so the other one never flashes. Material's script bundle finds the toggle as it would its own.
(() => {
  const script = document.currentScript;
  const options = JSON.parse(script.dataset.mdPalette);
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
