// The navigation drawer of a paper page (templates/theme/paper.html), written where this script stands from
// the links of the navigation tabs: the same markup as Material's partials/nav.html for a navigation without
// sections, with the site name and the label from the script's data. In the page it was 0.9 KB of each of
// thousands of paper pages; Material runs this script again after an instant navigation, before it sets the
// drawer up, as it would its own markup. Hidden, as Material hides a side menu with `hide: navigation`: on a wide
// screen it was an empty column beside the paper (no paper is in the navigation); a phone's drawer still opens.
(() => {
  const script = document.currentScript;
  const element = (tag, className) => Object.assign(document.createElement(tag), { className });
  const list = element("ul", "md-nav__list");
  list.dataset.mdScrollfix = "";
  for (const tab of document.querySelectorAll(".md-tabs__link")) {
    const item = element("li", "md-nav__item");
    const link = element("a", "md-nav__link");
    link.href = tab.getAttribute("href");
    link.textContent = tab.textContent.trim();
    item.append(link);
    list.append(item);
  }
  const title = element("label", "md-nav__title");
  title.htmlFor = "__drawer";
  title.textContent = script.dataset.title;
  const nav = element("nav", "md-nav md-nav--primary md-nav--lifted");
  nav.setAttribute("aria-label", script.dataset.label);
  nav.dataset.mdLevel = "0";
  nav.append(title, list);
  const inner = element("div", "md-sidebar__inner");
  inner.append(nav);
  const scrollwrap = element("div", "md-sidebar__scrollwrap");
  scrollwrap.append(inner);
  const sidebar = element("div", "md-sidebar md-sidebar--primary");
  sidebar.hidden = true;
  Object.assign(sidebar.dataset, { mdComponent: "sidebar", mdType: "navigation" });
  sidebar.append(scrollwrap);
  script.before(sidebar);
})();
