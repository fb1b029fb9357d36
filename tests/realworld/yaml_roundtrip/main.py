"""PyYAML's pure-Python path: safe load/dump, anchors, custom tags, errors."""

import yaml

DOC = """
defaults: &defaults
  retries: 3
  timeout: 2.5
servers:
  - name: alpha
    <<: *defaults
  - name: beta
    ports: [80, 443]
    enabled: yes
    when: 2024-01-02
multi: |
  line one
  line two
"""


class Money(yaml.YAMLObject):
    yaml_tag = "!money"
    yaml_loader = yaml.SafeLoader

    def __init__(self, amount):
        self.amount = amount

    def __repr__(self):
        return f"Money({self.amount})"


data = yaml.safe_load(DOC)
print(data)
print(yaml.safe_dump(data, sort_keys=True, default_flow_style=False))
print(yaml.dump({"b": [1, {"c": None}], "a": "ü"}, allow_unicode=True))
print(list(yaml.safe_load_all("a: 1\n---\nb: 2\n")))
print(yaml.load("!money {amount: 5}", Loader=yaml.SafeLoader))
print("libyaml:", yaml.__with_libyaml__)
try:
    yaml.safe_load("a: [1, 2")
except yaml.YAMLError as error:
    print(type(error).__name__, str(error).splitlines()[0])
