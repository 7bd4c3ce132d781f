/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 003-pciehp-reset: PCI devices, buses and slots, the hotplug slot
 * interface, the pciehp controller, and the driver-core pieces used when a
 * device is unbound from its driver.
 */
#ifndef _EXAMPLE_003_SCENARIO_H
#define _EXAMPLE_003_SCENARIO_H

#include "../../include/kernel_stub.h"

typedef int irqreturn_t;
#define IRQ_NONE		0
#define IRQ_HANDLED		1
#define IRQ_WAKE_THREAD		2
#define IRQF_SHARED		0x80

struct pci_dev;
struct hotplug_slot;

struct pci_bus {
	struct list_head devices;	/* pci_dev.bus_list */
	struct pci_dev *self;		/* bridge leading to this bus */
	unsigned char number;
};

struct pci_slot {
	struct pci_bus *bus;
	struct hotplug_slot *hotplug;
	unsigned char number;
};

struct pci_driver {
	const char *name;
	int (*probe)(struct pci_dev *dev);
	void (*remove)(struct pci_dev *dev);
	struct device_driver driver;
};

struct pci_dev {
	struct device dev;
	struct list_head bus_list;	/* on bus->devices */
	struct pci_bus *bus;
	struct pci_bus *subordinate;
	struct pci_slot *slot;
	struct pci_driver *driver;
	unsigned int reset_fn:1;
	unsigned int is_added:1;
};

#define to_pci_dev(d)		container_of(d, struct pci_dev, dev)
#define to_pci_driver(d)	container_of(d, struct pci_driver, driver)

struct hotplug_slot_ops {
	int (*enable_slot)(struct hotplug_slot *slot);
	int (*disable_slot)(struct hotplug_slot *slot);
	int (*reset_slot)(struct hotplug_slot *slot, bool probe);
};

struct hotplug_slot {
	const struct hotplug_slot_ops *ops;
	struct pci_slot *pci_slot;
};

/* ---- pciehp ---- */
struct pcie_device {
	struct pci_dev *port;
	int irq;
	void *priv_data;
};

#define DISABLE_SLOT		(1 << 16)
#define PCI_EXP_SLTSTA_PDC	0x0008
#define PCI_EXP_SLTSTA_DLLSC	0x0100
#define PCI_EXP_SLTCTL		24
#define PCI_EXP_SLTSTA		26
#define PCI_EXP_SLTCTL_PDCE	0x0008
#define PCI_EXP_SLTCTL_DLLSCE	0x1000
#define PCI_EXP_SLTCTL_ATTN_IND_OFF	0x00c0
#define PCI_EXP_SLTCTL_PWR_IND_OFF	0x0300

struct pcie_port_service_driver {
	const char *name;
	int (*probe)(struct pcie_device *dev);
	void (*remove)(struct pcie_device *dev);
};

enum pciehp_state {
	OFF_STATE,
	ON_STATE,
	POWEROFF_STATE,
};

struct controller {
	struct pcie_device *pcie;
	struct mutex state_lock;	/* guards state */
	enum pciehp_state state;
	/* a slot reset must not race with bringing the slot up or down */
	struct rw_semaphore reset_lock;
	atomic_t pending_events;
	struct hotplug_slot hotplug_slot;
};

static inline struct controller *to_ctrl(struct hotplug_slot *slot)
{
	return container_of(slot, struct controller, hotplug_slot);
}

struct controller *pcie_init(struct pcie_device *dev);
irqreturn_t pciehp_isr(int irq, void *dev_id);
irqreturn_t pciehp_ist(int irq, void *dev_id);
int pciehp_reset_slot(struct hotplug_slot *hotplug_slot, bool probe);
void pciehp_handle_disable_request(struct controller *ctrl);
void pciehp_handle_presence_or_link_change(struct controller *ctrl, u32 events);
void pciehp_unconfigure_device(struct controller *ctrl, bool presence);

/* ---- PCI core and driver core ---- */
void pci_stop_and_remove_bus_device(struct pci_dev *dev);
void device_release_driver(struct device *dev);
int pci_reset_function(struct pci_dev *dev);
int pci_try_reset_function(struct pci_dev *dev);

#endif /* _EXAMPLE_003_SCENARIO_H */
